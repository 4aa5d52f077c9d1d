using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Runtime;
using Xunit.Abstractions;

namespace Keypoints.MLNet.Tests.Packaging;

/// <summary>The package as users meet it: packed, referenced from a feed by a fresh app outside the repository, which
/// runs the README's quick start unchanged.</summary>
[Trait("Category", "Integration")]
public sealed partial class PackageConsumerTests(ITestOutputHelper output)
{
    // Generous: on a machine shared with higher-priority training, a few seconds of work can take minutes.
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(15);

    [Fact]
    public void ReadmeQuickStart_TrainsSavesLoadsAndPredicts_InAFreshAppThatReferencesThePackage()
    {
        // A version no earlier run used, so the global NuGet cache cannot serve a stale copy of the package.
        var version = "0.1.0-consumer.g" + Guid.NewGuid().ToString("N");
        using var temp = new TempFolder();
        var feed = Directory.CreateDirectory(temp.File("feed")).FullName;
        var app = Directory.CreateDirectory(temp.File("QuickStart")).FullName;
        try
        {
            // Packs what the test run already built (no build: the repository's output is only read), and writes the
            // intermediate nuspec to the temp folder rather than into obj/.
            var clock = Stopwatch.StartNew();
            Dotnet(SharedData.RepositoryRoot, "pack", Path.Combine(SharedData.RepositoryRoot, "src", "Keypoints.MLNet", "Keypoints.MLNet.csproj"),
                "-c", ProcessRunner.Configuration, "--no-build", "--disable-build-servers", "-o", feed,
                $"-p:PackageVersion={version}", $"-p:NuspecOutputPath={temp.File("nuspec")}{Path.DirectorySeparatorChar}");
            var package = Path.Combine(feed, $"Keypoints.MLNet.{version}.nupkg");
            Assert.True(File.Exists(package), $"dotnet pack wrote no {package}");
            output.WriteLine($"pack: {clock.Elapsed.TotalSeconds:F1} s, {new FileInfo(package).Length / 1024} KiB");

            WriteApp(app, feed, version);
            clock.Restart();
            // Hard links instead of a 1.3 GB copy of the native runtimes, as the repository's own builds do; the
            // fix-up must then leave the NuGet cache's copy as it was.
            var build = Dotnet(app, "build", "-c", "Release", "--disable-build-servers", "-p:CreateHardLinksForCopyLocalIfPossible=true");
            output.WriteLine($"restore and build: {clock.Elapsed.TotalSeconds:F1} s");
            Assert.DoesNotMatch(@"Program\.cs\(\d+,\d+\): warning", build.StandardOutput);

            var library = Path.Combine(app, "bin", "Release", "net10.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            if (OperatingSystem.IsLinux())
            {
                Assert.Equal(GlibcxxShim.PatchesBuildOutput, GlibcxxShim.IsWeak(library));
                Assert.False(GlibcxxShim.IsWeak(NuGetCache.TorchSharpNative()), "the NuGet cache copy was modified");
            }

            clock.Restart();
            var run = ProcessRunner.Run("dotnet", [Path.Combine(app, "bin", "Release", "net10.0", "QuickStart.dll"), SmallFaces.TrainingCsv],
                TimeSpan.FromMinutes(20), workingDirectory: app);
            output.WriteLine($"run (train, save, load, predict): {clock.Elapsed.TotalSeconds:F1} s");
            output.WriteLine(run.StandardOutput);
            Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
            Assert.True(new FileInfo(Path.Combine(app, "model.zip")).Length > 0, "the quick start saved no model.zip");

            var printed = run.StandardOutput.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(line => KeypointLine().Match(line)).Where(m => m.Success)
                .ToDictionary(m => m.Groups["name"].Value, m => (X: Number(m.Groups["x"].Value), Y: Number(m.Groups["y"].Value)));
            foreach (var name in KeypointLayout.Kaggle15.KeypointNames)
            {
                Assert.True(printed.TryGetValue(name, out var point), $"no line '{name} x y' in the output:\n{run.StandardOutput}");
                Assert.InRange(point.X, 0, 96);
                Assert.InRange(point.Y, 0, 96);
            }
        }
        finally
        {
            var cached = NuGetCache.Package("Keypoints.MLNet", version);
            if (Directory.Exists(cached))
                Directory.Delete(cached, recursive: true);
        }
    }

    /// <summary>The first C# block after the README's "## Quick start" heading, exactly as written there.</summary>
    private static string ReadmeQuickStart()
    {
        var lines = File.ReadAllLines(Path.Combine(SharedData.RepositoryRoot, "README.md"));
        int heading = Array.FindIndex(lines, l => l.TrimEnd() == "## Quick start");
        Assert.True(heading >= 0, "README.md has no '## Quick start' heading");
        int start = Array.FindIndex(lines, heading, l => l.TrimEnd() == "```csharp");
        Assert.True(start >= 0, "README.md has no ```csharp block after '## Quick start'");
        int end = Array.FindIndex(lines, start + 1, l => l.TrimEnd() == "```");
        return string.Join('\n', lines[(start + 1)..end]) + "\n";
    }

    /// <summary>A console app as <c>dotnet new console</c> makes it, referencing the package from the feed and the
    /// repository's TorchSharp-cpu version, with the README's quick start as its Program.cs.</summary>
    private static void WriteApp(string app, string feed, string version)
    {
        for (var dir = new DirectoryInfo(app); dir is not null; dir = dir.Parent)
        {
            foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json" })
                Assert.False(File.Exists(Path.Combine(dir.FullName, file)), $"{Path.Combine(dir.FullName, file)} would apply to the fresh app");
        }
        var torchSharpCpu = XDocument.Load(Path.Combine(SharedData.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == "TorchSharp-cpu").Attribute("Version")!.Value;
        File.WriteAllText(Path.Combine(app, "QuickStart.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Keypoints.MLNet" Version="{version}" />
                <PackageReference Include="TorchSharp-cpu" Version="{torchSharpCpu}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="keypoints-feed" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), ReadmeQuickStart());
    }

    private static ProcessRunner.Result Dotnet(string workingDirectory, params string[] arguments)
    {
        var result = ProcessRunner.Run("dotnet", arguments, DotnetTimeout, workingDirectory);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{result.StandardOutput}{result.StandardError}");
        return result;
    }

    // The app runs in the machine's culture, so either decimal separator may appear.
    private static double Number(string text) => double.Parse(text.Replace(',', '.'), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<name>[a-z_]+)\s+(?<x>-?\d+[.,]\d+)\s+(?<y>-?\d+[.,]\d+)$")]
    private static partial Regex KeypointLine();
}
