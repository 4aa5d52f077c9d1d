using System.Diagnostics;

namespace Keypoints.MLNet.Tests;

/// <summary>Runs a program to completion and captures its output, failing the test if it hangs.</summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static Result Run(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null
    )
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
            startInfo.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            startInfo.Environment[name] = value;
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The build configuration of the running tests, and so of the repository's projects they
    /// reference.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains(
            $"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}",
            StringComparison.Ordinal
        )
            ? "Release"
            : "Debug";

    /// <summary>The built output (same configuration as the tests) of a project in this repository.</summary>
    public static string BuiltAssembly(string projectFolder, string assemblyName)
    {
        string path = Path.Combine(
            SharedData.RepositoryRoot,
            projectFolder,
            "bin",
            Configuration,
            "net10.0",
            assemblyName + ".dll"
        );
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"{path} was not built; the test project references it so that it is.",
                path
            );
        }

        return path;
    }
}
