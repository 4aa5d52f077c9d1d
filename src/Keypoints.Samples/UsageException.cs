namespace Keypoints.Samples;

/// <summary>A command-line mistake; the message is printed as one line and the process exits with code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
