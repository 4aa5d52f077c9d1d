namespace Keypoints.Notebooks.Tests;

/// <summary>Each committed notebook is a C# notebook that references the library from the local feed and carries the
/// outputs of one run from top to bottom in the kernel.</summary>
public sealed class NotebookFileTests
{
    // Committed outputs hold pictures as base64; past this a notebook is too heavy to read in a browser or a diff.
    private const long MaxFileBytes = 600_000;

    /// <summary>The notebooks' file names.</summary>
    public static TheoryData<string> Notebooks => [.. NotebookFile.Names];

    [Fact]
    public void Repository_HasAtLeastThreeNotebooks()
    {
        Assert.True(
            NotebookFile.Names.Count >= 3,
            $"Expected at least three notebooks in '{NotebookFile.Folder}'; found {NotebookFile.Names.Count}."
        );
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_ReferencesThePackageFromAnAbsoluteLocalFeed(string name)
    {
        var notebook = NotebookFile.Load(Path.Combine(NotebookFile.Folder, name));
        Assert.True(
            notebook.LocalFeedFolder is { } folder && Path.IsPathRooted(folder),
            $"{name}: expected a cell '#i \"nuget: /absolute/folder\"' (the kernel rejects relative folders); found "
                + $"{notebook.LocalFeedFolder ?? "none"}."
        );
        Assert.NotNull(notebook.PackageVersion);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_IsACSharpNotebookWithTheOutputsOfARun(string name)
    {
        string path = Path.Combine(NotebookFile.Folder, name);
        var notebook = NotebookFile.Load(path);
        Assert.Equal(JupyterKernel.Name, notebook.KernelName);
        var code = notebook.CodeCells;
        Assert.NotEmpty(code);
        // Run from top to bottom in one go: execution counts 1, 2, 3, ... (a cleared or partly re-run notebook fails).
        Assert.Equal(Enumerable.Range(1, code.Count).Cast<int?>(), code.Select(c => c.ExecutionCount));
        Assert.All(code, c =>
            Assert.True(c.Errors.Count == 0, $"{name}, cell {c.Index}: {string.Join("\n", c.Errors)}")
        );
        Assert.Contains(code.SelectMany(c => c.DataTypes), type => type.StartsWith("image/", StringComparison.Ordinal));
        long bytes = new FileInfo(path).Length;
        Assert.True(
            bytes <= MaxFileBytes,
            $"{name} is {bytes} bytes; keep committed outputs under {MaxFileBytes} (smaller pictures)."
        );
    }
}
