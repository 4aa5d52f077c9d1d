namespace Keypoints.Cli;

/// <summary>A command's description for <c>--help</c>: what it does, then examples to copy.</summary>
internal static class CommandHelp
{
    /// <summary><paramref name="description"/>, a blank line and <paramref name="examples"/>, one command line
    /// each.</summary>
    public static string With(string description, params string[] examples) =>
        description + "\n\nExamples:" + string.Concat(examples.Select(example => "\n  " + example));
}
