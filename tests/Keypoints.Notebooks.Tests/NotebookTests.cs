using System.Globalization;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Keypoints.Notebooks.Tests;

/// <summary>The repository's notebooks (<c>notebooks/*.ipynb</c>): each runs from top to bottom in the harness, and each
/// file carries the outputs of such a run.</summary>
public sealed class NotebookTests(ITestOutputHelper log)
{
    // Committed outputs hold pictures as base64; past this a notebook is too heavy to read in a browser or a diff.
    private const long MaxFileBytes = 600_000;

    /// <summary>The notebooks' file names.</summary>
    public static TheoryData<string> Notebooks => [.. NotebookFiles.Names];

    [Fact]
    public void Repository_HasAtLeastThreeNotebooks()
    {
        Assert.True(NotebookFiles.Names.Count >= 3, $"Expected at least three notebooks in '{NotebookFiles.Folder}'; found {NotebookFiles.Names.Count}.");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    [Trait("Category", "Integration")]
    public async Task Notebook_RunsEveryCodeCellWithoutError(string name)
    {
        using var budget = new NotebookBudget();
        var notebook = Notebook.Load(Path.Combine(NotebookFiles.Folder, name));
        var run = await new NotebookRunner(new NotebookPackages(NotebookFiles.RepositoryRoot)).RunAsync(notebook);
        var c = CultureInfo.InvariantCulture;
        log.WriteLine(string.Create(c, $"{name}: {run.Cells.Count} code cells in {run.Elapsed.TotalSeconds:F1} s with {NotebookBudget.Describe()}"));
        foreach (var cell in run.Cells)
            log.WriteLine(string.Create(c, $"  cell {cell.Number}: {cell.Elapsed.TotalSeconds:F1} s, {cell.Outputs.Count} outputs"));
        Assert.NotEmpty(run.Cells);
        if (NotebookBudget.WritesOutputs)
        {
            notebook.SaveWithOutputs(run);
            log.WriteLine($"wrote the outputs into {notebook.Path}");
        }
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_IsACSharpNotebookWithTheOutputsOfARun(string name)
    {
        var path = Path.Combine(NotebookFiles.Folder, name);
        var notebook = Notebook.Load(path);
        Assert.Equal(".net-csharp", notebook.KernelName);
        var code = notebook.Cells.Where(c => c.IsCode).ToArray();
        Assert.NotEmpty(code);
        // Run from top to bottom in one go: execution counts 1, 2, 3, ... (a cleared or partly re-run notebook fails).
        Assert.Equal(Enumerable.Range(1, code.Length).Cast<int?>(), code.Select(c => c.ExecutionCount));
        var outputs = code.SelectMany(c => c.StoredOutputs ?? []).OfType<JsonObject>().ToArray();
        Assert.DoesNotContain(outputs, o => o["output_type"]?.GetValue<string>() == "error");
        Assert.Contains(outputs, o => Notebook.Text(o["data"]?["text/html"]).Contains("<img src=\"data:image/", StringComparison.Ordinal));
        var bytes = new FileInfo(path).Length;
        Assert.True(bytes <= MaxFileBytes, $"{name} is {bytes} bytes; keep committed outputs under {MaxFileBytes} (smaller pictures).");
    }
}
