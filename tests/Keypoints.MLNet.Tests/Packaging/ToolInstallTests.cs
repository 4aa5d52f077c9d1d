using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Runtime;
using Keypoints.MLNet.Tests.Tiers;
using Xunit.Abstractions;

namespace Keypoints.MLNet.Tests.Packaging;

/// <summary>The <c>keypoints</c> tool as users meet it: packed with the library into a feed, installed with
/// <c>dotnet tool install --tool-path</c> into an empty folder from an empty NuGet cache, then run.</summary>
[Trait("Category", "Integration")]
public sealed class ToolInstallTests(ITestOutputHelper output)
{
    // Generous: on a machine shared with higher-priority training, a few seconds of work can take minutes.
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(15);

    [TierFact(Needs.FaceData)]
    public void Tool_InstalledFromAFeed_PrintsItsVersion_Trains_AndEvaluates()
    {
        // A version no earlier run used, so no NuGet cache can serve a stale copy of the packages.
        string version = RepositoryVersion + "-tool.g" + Guid.NewGuid().ToString("N");
        using var temp = new TempFolder();
        string feed = Directory.CreateDirectory(temp.File("feed")).FullName;
        string tools = temp.File("tools");
        string root = SharedData.RepositoryRoot;
        var clock = Stopwatch.StartNew();
        Dotnet(
            root,
            "pack",
            Path.Combine(root, "src", "Keypoints.MLNet", "Keypoints.MLNet.csproj"),
            "-c",
            ProcessRunner.Configuration,
            "--no-build",
            "--disable-build-servers",
            "-o",
            feed,
            $"-p:PackageVersion={version}",
            $"-p:NuspecOutputPath={temp.File("nuspec")}{Path.DirectorySeparatorChar}"
        );
        // The tool's platform package needs a build for this platform (bin/<configuration>/net10.0/<rid>/), which the
        // test run has not made; only this platform's package is packed.
        Dotnet(
            root,
            "pack",
            Path.Combine(root, "src", "Keypoints.Cli", "Keypoints.Cli.csproj"),
            "-c",
            ProcessRunner.Configuration,
            "--disable-build-servers",
            "-o",
            feed,
            $"-p:PackageVersion={version}",
            $"-p:ToolPackageRuntimeIdentifiers={RuntimeInformation.RuntimeIdentifier}",
            $"-p:NuspecOutputPath={temp.File("tool-nuspec")}{Path.DirectorySeparatorChar}"
        );
        string platformPackage = Path.Combine(
            feed,
            $"Keypoints.Cli.{RuntimeInformation.RuntimeIdentifier}.{version}.nupkg"
        );
        foreach (
            string? package in new[]
            {
                $"Keypoints.MLNet.{version}.nupkg",
                $"Keypoints.Cli.{version}.nupkg",
                platformPackage,
            }
        )
        {
            Assert.True(File.Exists(Path.Combine(feed, package)), $"dotnet pack wrote no {package}");
        }

        output.WriteLine(
            $"pack: {clock.Elapsed.TotalSeconds:F1} s, {new FileInfo(platformPackage).Length / (1024 * 1024)} MiB"
        );

        clock.Restart();
        // An empty NuGet cache: the tool package must carry everything the tool runs on.
        var clean = new Dictionary<string, string> { ["NUGET_PACKAGES"] = temp.File("nuget-cache") };
        var install = ProcessRunner.Run(
            "dotnet",
            ["tool", "install", "--tool-path", tools, "--add-source", feed, "--version", version, "Keypoints.Cli"],
            DotnetTimeout,
            temp.Folder,
            clean
        );
        Assert.True(install.ExitCode == 0, install.StandardOutput + install.StandardError);
        output.WriteLine($"install: {clock.Elapsed.TotalSeconds:F1} s");
        string keypoints = Path.Combine(tools, OperatingSystem.IsWindows() ? "keypoints.exe" : "keypoints");
        if (OperatingSystem.IsLinux())
        {
            string[] torchSharp = Directory.GetFiles(tools, "libLibTorchSharp.so", SearchOption.AllDirectories);
            Assert.True(
                torchSharp.Length == 1 && GlibcxxShim.IsWeak(torchSharp[0]),
                "the tool package must carry libLibTorchSharp.so with its GLIBCXX_3.4.32 requirement marked weak"
            );
        }

        var versionRun = RunTool(keypoints, temp.Folder, "--version");
        // The assembly's informational version: the repository's version, then '+' and the commit.
        Assert.StartsWith(RepositoryVersion + "+", versionRun.StandardOutput, StringComparison.Ordinal);

        string training = WriteHead(SmallFaces.TrainingCsv, temp.File("training.csv"), 256);
        string validation = WriteHead(SmallFaces.ValidationCsv, temp.File("validation.csv"), 64);
        clock.Restart();
        var train = RunTool(
            keypoints,
            temp.Folder,
            "train",
            "--data",
            training,
            "--validation",
            validation,
            "--epochs",
            "2",
            "--seed",
            "1",
            "--out",
            "model.zip"
        );
        output.WriteLine($"train: {clock.Elapsed.TotalSeconds:F1} s\n{train.StandardOutput}");
        Assert.Matches(@"epoch\s+2\s+train loss \d+\.\d+\s+validation RMSE \d+\.\d+ px", train.StandardOutput);
        Assert.True(File.Exists(temp.File("model.zip")), "train saved no model.zip");

        var evaluate = RunTool(keypoints, temp.Folder, "evaluate", "--model", "model.zip", "--data", validation);
        string rmse = evaluate.StandardOutput.Split('\n').Single(l => l.StartsWith("RMSE ", StringComparison.Ordinal))[
            5..
        ];
        Assert.InRange(double.Parse(rmse, CultureInfo.InvariantCulture), 0.5, 30);
    }

    /// <summary>The version of the library and the tool (Directory.Build.props), without the commit.</summary>
    private static string RepositoryVersion { get; } =
        typeof(KeypointLayout)
            .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!
            .InformationalVersion.Split('+')[0];

    private static ProcessRunner.Result RunTool(string keypoints, string workingDirectory, params string[] arguments)
    {
        var result = ProcessRunner.Run(keypoints, arguments, DotnetTimeout, workingDirectory);
        Assert.True(
            result.ExitCode == 0,
            $"keypoints {string.Join(' ', arguments)} failed:\n{result.StandardOutput}{result.StandardError}"
        );
        return result;
    }

    private static string WriteHead(string source, string destination, int rows)
    {
        File.WriteAllLines(destination, File.ReadLines(source).Take(rows + 1));
        return destination;
    }

    private static ProcessRunner.Result Dotnet(string workingDirectory, params string[] arguments)
    {
        var result = ProcessRunner.Run("dotnet", arguments, DotnetTimeout, workingDirectory);
        Assert.True(
            result.ExitCode == 0,
            $"dotnet {string.Join(' ', arguments)} failed:\n{result.StandardOutput}{result.StandardError}"
        );
        return result;
    }
}
