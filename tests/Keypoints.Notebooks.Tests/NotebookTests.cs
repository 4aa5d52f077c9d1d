using System.Globalization;
using Xunit.Abstractions;

namespace Keypoints.Notebooks.Tests;

/// <summary>The repository's notebooks (<c>notebooks/*.ipynb</c>) run from top to bottom in the .NET Interactive
/// kernel, restoring the library from the local feed as a user would.</summary>
[Trait("Category", "Integration")]
public sealed class NotebookTests(LocalFeed feed, ITestOutputHelper log) : IClassFixture<LocalFeed>
{
    // The notebooks' own budget trains for minutes per cell; this only catches a hung kernel.
    private static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The notebooks' file names.</summary>
    public static TheoryData<string> Notebooks => [.. NotebookFile.Names];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_RunsInTheKernelWithoutAnErrorOutput(string name)
    {
        string path = Path.Combine(NotebookFile.Folder, name);
        var environment = new Dictionary<string, string>(NotebookBudget.KernelEnvironment())
        {
            ["KEYPOINTS_DATA"] = SharedData.Folder,
        };
        using var output = new TempFolder();
        var run = JupyterKernel.Execute(path, output.Folder, environment, CellTimeout);

        var c = CultureInfo.InvariantCulture;
        log.WriteLine(
            string.Create(
                c,
                $"{name}: {run.Executed.CodeCells.Count} code cells in {run.Elapsed.TotalSeconds:F1} s in the kernel "
                    + $"({NotebookBudget.Describe(environment)}; {feed.Folder}, Keypoints.MLNet {feed.Version})"
            )
        );
        foreach (var cell in run.Executed.CodeCells)
        {
            log.WriteLine(
                string.Create(
                    c,
                    $"  cell {cell.Index}: {cell.Elapsed?.TotalSeconds:F1} s, {cell.Outputs.Count} outputs"
                )
            );
        }

        string[] errors = run
            .Executed.CodeCells.SelectMany(cell =>
                cell.Errors.Select(e => $"{name}, cell {cell.Index} (execution {cell.ExecutionCount}): {e}")
            )
            .ToArray();
        Assert.True(errors.Length == 0, string.Join("\n\n", errors));
        Assert.Equal(
            Enumerable.Range(1, run.Executed.CodeCells.Count).Cast<int?>(),
            run.Executed.CodeCells.Select(cell => cell.ExecutionCount)
        );
        if (NotebookBudget.WritesOutputs)
        {
            File.Copy(run.Executed.Path, path, overwrite: true);
            log.WriteLine($"wrote the outputs into {path}");
        }
    }
}
