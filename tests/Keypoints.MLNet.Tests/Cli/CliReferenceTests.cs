using System.Text.RegularExpressions;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary><c>docs/cli.md</c> holds the CLI's own <c>--help</c> of every command, so the page cannot drift from the
/// tool: each block after a <c>&lt;!-- keypoints VERB --help --&gt;</c> line is what that command prints (trailing
/// spaces aside). With <c>KEYPOINTS_DOCS_WRITE=1</c> the test writes the blocks instead of comparing them.</summary>
public sealed partial class CliReferenceTests
{
    private const string WriteVariable = "KEYPOINTS_DOCS_WRITE";

    private static readonly string Page = Path.Combine(SharedData.RepositoryRoot, "docs", "cli.md");

    [Fact]
    public void CliPage_HoldsEveryCommandsHelp_AsTheToolPrintsIt()
    {
        string rootHelp = Help();
        string[] verbs = Verbs(rootHelp);
        Assert.Contains("faces", verbs);
        var helps = new Dictionary<string, string> { [""] = rootHelp };
        foreach (string verb in verbs)
            helps[verb] = Help(verb);

        string[] lines = File.ReadAllLines(Page);
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            File.WriteAllLines(Page, WithBlocks(lines, helps));
            return;
        }

        string[] stale = helps
            .Where(help => Block(lines, help.Key) != help.Value)
            .Select(help => $"keypoints {help.Key} --help".Replace("  ", " ", StringComparison.Ordinal))
            .ToArray();
        Assert.True(
            stale.Length == 0,
            $"docs/cli.md lacks or has an outdated block for: {string.Join(", ", stale)}. "
                + $"Run the test with {WriteVariable}=1 to write them, and read the change."
        );
    }

    /// <summary>What <c>keypoints [verb] --help</c> prints, each line without its trailing spaces.</summary>
    private static string Help(string verb = "")
    {
        var result = verb.Length == 0 ? Cli.Run("--help") : Cli.Run(verb, "--help");
        Assert.True(result.ExitCode == 0, result.StandardError);
        return string.Join('\n', result.StandardOutput.TrimEnd().Split('\n').Select(line => line.TrimEnd()));
    }

    /// <summary>The command names under "Commands:" in the top-level help.</summary>
    private static string[] Verbs(string rootHelp) =>
        rootHelp[rootHelp.IndexOf("\nCommands:", StringComparison.Ordinal)..]
            .Split('\n')
            .Select(line => CommandLine().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)
            .ToArray();

    private static string Marker(string verb) =>
        verb.Length == 0 ? "<!-- keypoints --help -->" : $"<!-- keypoints {verb} --help -->";

    /// <summary>The text of the fenced block after <paramref name="verb"/>'s marker, or null without one.</summary>
    private static string? Block(string[] lines, string verb)
    {
        int marker = Array.IndexOf(lines, Marker(verb));
        if (marker < 0 || marker + 1 >= lines.Length || lines[marker + 1] != "```text")
            return null;
        int end = Array.IndexOf(lines, "```", marker + 2);
        return end < 0 ? null : string.Join('\n', lines[(marker + 2)..end]);
    }

    /// <summary>The page with every marker's block replaced by the help; a command without a marker gets a section at
    /// the end.</summary>
    private static List<string> WithBlocks(string[] lines, Dictionary<string, string> helps)
    {
        var page = lines.ToList();
        foreach (var (verb, help) in helps)
        {
            int marker = page.IndexOf(Marker(verb));
            if (marker < 0)
            {
                page.AddRange(["", $"### `keypoints {verb}`", "", Marker(verb), "```text", "```"]);
                marker = page.Count - 3;
            }
            int end = page.IndexOf("```", marker + 2);
            page.RemoveRange(marker + 1, end - marker);
            page.InsertRange(marker + 1, ["```text", .. help.Split('\n'), "```"]);
        }

        return page;
    }

    [GeneratedRegex("^  ([a-z][a-z0-9-]*) {2,}\\S")]
    private static partial Regex CommandLine();
}
