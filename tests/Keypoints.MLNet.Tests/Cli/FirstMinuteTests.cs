using SkiaSharp;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary>The README's "First minute": its first command, run as written (the built CLI standing for <c>dotnet
/// run</c>), prints the line that the README shows and writes the overlay that the README shows
/// (<c>docs/images/astronaut-keypoints.png</c>).</summary>
[Trait("Category", "Integration")]
public sealed class FirstMinuteTests
{
    private const string DotnetRun = "dotnet run -c Release --project src/Keypoints.Cli -- ";

    [Fact]
    public void FirstCommand_PrintsWhatTheReadmeShows_AndWritesTheOverlay()
    {
        var (command, printed) = ReadmeFirstMinute();
        Assert.StartsWith(DotnetRun, command, StringComparison.Ordinal);
        string[] arguments = command[DotnetRun.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        using var folder = new TempFolder();
        int output = Array.IndexOf(arguments, "--out") + 1;
        string overlay = arguments[output];
        // The repository's root is the working folder, as in the README; the overlay goes to a temporary folder
        // instead.
        arguments[output] = folder.File(overlay);

        var result = ProcessRunner.Run(
            "dotnet",
            [ProcessRunner.BuiltAssembly("src/Keypoints.Cli", "Keypoints.Cli"), .. arguments],
            TimeSpan.FromMinutes(5),
            SharedData.RepositoryRoot
        );

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal(
            printed.Replace(overlay, folder.File(overlay), StringComparison.Ordinal),
            result.StandardOutput.Trim()
        );
        Assert.True(new FileInfo(folder.File(overlay)).Length > 0);
        AssertSamePicture(Path.Combine(SharedData.RepositoryRoot, "docs", "images", overlay), folder.File(overlay));
    }

    /// <summary>The pictures have the same size and differ by at most 2 grey levels per channel on average (so a change
    /// of the model, detector or drawing shows, and a change of PNG encoder does not).</summary>
    private static void AssertSamePicture(string committed, string drawn)
    {
        using var expected = SKBitmap.Decode(committed);
        using var actual = SKBitmap.Decode(drawn);
        Assert.NotNull(expected);
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        double difference = 0;
        for (int y = 0; y < expected.Height; y++)
        {
            for (int x = 0; x < expected.Width; x++)
            {
                SKColor e = expected.GetPixel(x, y),
                    a = actual.GetPixel(x, y);
                difference += Math.Abs(e.Red - a.Red) + Math.Abs(e.Green - a.Green) + Math.Abs(e.Blue - a.Blue);
            }
        }
        double mean = difference / (3.0 * expected.Width * expected.Height);
        Assert.True(
            mean <= 2,
            $"{drawn} differs from {committed} by {mean:F2} grey levels per channel on average; "
                + "redraw the README's picture with its first command if the change is intended."
        );
    }

    /// <summary>The first line of the first bash block after "## First minute", and the lines of the plain block after
    /// it.</summary>
    private static (string Command, string Printed) ReadmeFirstMinute()
    {
        string[] lines = File.ReadAllLines(Path.Combine(SharedData.RepositoryRoot, "README.md"));
        int heading = Array.FindIndex(lines, l => l.TrimEnd() == "## First minute");
        Assert.True(heading >= 0, "README.md has no '## First minute' heading");
        int commands = Array.FindIndex(lines, heading, l => l.TrimEnd() == "```bash");
        int end = Array.FindIndex(lines, commands + 1, l => l.TrimEnd() == "```");
        int printed = Array.FindIndex(lines, end + 1, l => l.TrimEnd() == "```");
        Assert.True(
            commands >= 0 && end >= 0 && printed >= 0,
            "README.md's First minute lacks its command block or its output block"
        );
        int printedEnd = Array.FindIndex(lines, printed + 1, l => l.TrimEnd() == "```");
        return (lines[commands + 1].Trim(), string.Join('\n', lines[(printed + 1)..printedEnd]).Trim());
    }
}
