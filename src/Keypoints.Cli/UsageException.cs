namespace Keypoints.Cli;

/// <summary>A command-line mistake found after parsing (two options that exclude each other, data that does not suit an
/// option); the message is printed as one line and the process exits with code 2, as for a parse error.</summary>
internal sealed class UsageException(string message) : Exception(message);
