using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Keypoints.Notebooks.Tests;

/// <summary>
/// Runs a notebook from top to bottom in the .NET Interactive C# kernel, as Jupyter does: <c>jupyter nbconvert
/// --execute</c> starts the kernel registered as <see cref="Name"/> in the notebook's folder, runs every cell and
/// writes the notebook with its outputs. Cell errors are kept as error outputs (<c>--allow-errors</c>) so that a test
/// can name every failing cell; a kernel that dies or a cell that passes its time limit fails the whole run.
/// </summary>
internal static class JupyterKernel
{
    /// <summary>The kernel name that <c>dotnet interactive jupyter install</c> registers for C#.</summary>
    public const string Name = ".net-csharp";

    private const string Installation =
        "Install what CI installs (.ci/run): apt-get install jupyter-nbconvert python3-nbclient jupyter-client; "
        + "dotnet tool install -g Microsoft.dotnet-interactive --version 1.0.712001; dotnet interactive jupyter "
        + "install.";

    /// <summary>Runs <paramref name="notebookPath"/> and returns the executed copy, written to <paramref
    /// name="outputFolder"/>.</summary>
    /// <param name="notebookPath">The notebook to run; the kernel starts in its folder.</param>
    /// <param name="outputFolder">Where the executed copy goes (the notebook itself is not changed).</param>
    /// <param name="environment">Variables added to the kernel's environment.</param>
    /// <param name="cellTimeout">The longest any one cell may run.</param>
    /// <exception cref="InvalidOperationException">Jupyter is not installed, or the run failed as a whole (the message
    /// has the end of nbconvert's log).</exception>
    public static NotebookRun Execute(
        string notebookPath,
        string outputFolder,
        IReadOnlyDictionary<string, string> environment,
        TimeSpan cellTimeout
    )
    {
        string name = Path.GetFileName(notebookPath);
        var variables = new Dictionary<string, string>(environment)
        {
            // dotnet finds the global tool "dotnet-interactive", which the kernel spec starts, on PATH.
            ["PATH"] =
                Environment.GetEnvironmentVariable("PATH")
                + Path.PathSeparator
                + Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools"),
        };
        string seconds = ((int)cellTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        string[] arguments =
        [
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--allow-errors",
            $"--ExecutePreprocessor.kernel_name={Name}",
            $"--ExecutePreprocessor.timeout={seconds}",
            // The kernel's first start on a busy machine compiles and restores for a while.
            "--ExecutePreprocessor.startup_timeout=600",
            "--output-dir",
            outputFolder,
            name,
        ];
        var clock = Stopwatch.StartNew();
        ProcessRunner.Result result;
        try
        {
            // Generous overall: every cell may use its limit, and the first restore of the packages takes minutes.
            result = ProcessRunner.Run(
                "jupyter",
                arguments,
                TimeSpan.FromHours(2),
                Path.GetDirectoryName(notebookPath),
                variables
            );
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"{name}: could not start jupyter ({e.Message}). {Installation}", e);
        }
        string executed = Path.Combine(outputFolder, name);
        if (result.ExitCode != 0 || !File.Exists(executed))
        {
            string log = (result.StandardOutput + result.StandardError).Trim();
            string hint = log.Contains("No such kernel", StringComparison.Ordinal) ? " " + Installation : "";
            throw new InvalidOperationException(
                $"{name}: jupyter nbconvert exited with {result.ExitCode} (the kernel failed or a cell passed "
                    + $"{seconds} s).{hint}\n{log[Math.Max(0, log.Length - 4000)..]}"
            );
        }
        return new NotebookRun(NotebookFile.Load(executed), clock.Elapsed);
    }
}
