using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Runtime;
using Keypoints.MLNet.Tests.Tiers;
using Xunit.Abstractions;

namespace Keypoints.MLNet.Tests.Packaging;

/// <summary>The package as users meet it: packed, referenced from a feed by a fresh app outside the repository, which
/// runs the quick start of docs/library.md unchanged.</summary>
[Trait("Category", "Integration")]
public sealed partial class PackageConsumerTests(ITestOutputHelper output)
{
    [TierFact(Needs.FaceData)]
    public void ReadmeQuickStart_TrainsSavesLoadsAndPredicts_InAFreshAppThatReferencesThePackage()
    {
        using var feed = new LocalFeed("0.1.0-consumer");
        var clock = Stopwatch.StartNew();
        string package = feed.Pack("Keypoints.MLNet");
        output.WriteLine($"pack: {clock.Elapsed.TotalSeconds:F1} s, {new FileInfo(package).Length / 1024} KiB");

        string torchSharpCpu = XDocument
            .Load(Path.Combine(SharedData.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == "TorchSharp-cpu")
            .Attribute("Version")!
            .Value;
        string app = feed.WriteApp(
            "QuickStart",
            [("Keypoints.MLNet", feed.Version), ("TorchSharp-cpu", torchSharpCpu)],
            ReadmeQuickStart()
        );
        clock.Restart();
        // Hard links instead of a 1.3 GB copy of the native runtimes, as the repository's own builds do; the
        // fix-up must then leave the NuGet cache's copy as it was.
        var build = LocalFeed.Dotnet(
            app,
            "build",
            "-c",
            "Release",
            "--disable-build-servers",
            "-p:CreateHardLinksForCopyLocalIfPossible=true"
        );
        output.WriteLine($"restore and build: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.DoesNotMatch(@"Program\.cs\(\d+,\d+\): warning", build.StandardOutput);

        string library = Path.Combine(
            app,
            "bin",
            "Release",
            "net10.0",
            "runtimes",
            "linux-x64",
            "native",
            "libLibTorchSharp.so"
        );
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(GlibcxxShim.PatchesBuildOutput, GlibcxxShim.IsWeak(library));
            Assert.False(GlibcxxShim.IsWeak(NuGetCache.TorchSharpNative()), "the NuGet cache copy was modified");
        }

        clock.Restart();
        var run = ProcessRunner.Run(
            "dotnet",
            [Path.Combine(app, "bin", "Release", "net10.0", "QuickStart.dll"), SmallFaces.TrainingCsv],
            TimeSpan.FromMinutes(20),
            workingDirectory: app
        );
        output.WriteLine($"run (train, save, load, predict): {clock.Elapsed.TotalSeconds:F1} s");
        output.WriteLine(run.StandardOutput);
        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        Assert.True(new FileInfo(Path.Combine(app, "model.zip")).Length > 0, "the quick start saved no model.zip");

        var printed = run
            .StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(line => KeypointLine().Match(line))
            .Where(m => m.Success)
            .ToDictionary(
                m => m.Groups["name"].Value,
                m => (X: Number(m.Groups["x"].Value), Y: Number(m.Groups["y"].Value))
            );
        foreach (string name in KeypointLayout.Kaggle15.KeypointNames)
        {
            Assert.True(
                printed.TryGetValue(name, out var point),
                $"no line '{name} x y' in the output:\n{run.StandardOutput}"
            );
            Assert.InRange(point.X, 0, 96);
            Assert.InRange(point.Y, 0, 96);
        }
    }

    /// <summary>The first C# block after docs/library.md's "## Quick start" heading, exactly as written
    /// there.</summary>
    private static string ReadmeQuickStart()
    {
        string[] lines = File.ReadAllLines(Path.Combine(SharedData.RepositoryRoot, "docs", "library.md"));
        int heading = Array.FindIndex(lines, l => l.TrimEnd() == "## Quick start");
        Assert.True(heading >= 0, "docs/library.md has no '## Quick start' heading");
        int start = Array.FindIndex(lines, heading, l => l.TrimEnd() == "```csharp");
        Assert.True(start >= 0, "docs/library.md has no ```csharp block after '## Quick start'");
        int end = Array.FindIndex(lines, start + 1, l => l.TrimEnd() == "```");
        return string.Join('\n', lines[(start + 1)..end]) + "\n";
    }

    // The app runs in the machine's culture, so either decimal separator may appear.
    private static double Number(string text) => double.Parse(text.Replace(',', '.'), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<name>[a-z_]+)\s+(?<x>-?\d+[.,]\d+)\s+(?<y>-?\d+[.,]\d+)$")]
    private static partial Regex KeypointLine();
}
