namespace Keypoints.Notebooks.Tests;

/// <summary>The harness itself, on small notebooks written for each test: kernel semantics, directives, outputs and errors.</summary>
[Trait("Category", "Integration")]
public sealed class NotebookRunnerTests
{
    private static readonly NotebookRunner Runner = new(new NotebookPackages(NotebookFiles.RepositoryRoot));

    private static async Task<NotebookRun> Run(TempFolder temp, params string[] cells) =>
        await Runner.RunAsync(Notebook.Load(NotebookFiles.Write(temp.Folder, "probe.ipynb", cells)));

    [Fact]
    public async Task RunAsync_ContinuesState_AcrossCells()
    {
        using var temp = new TempFolder();
        var run = await Run(temp,
            "using System.Globalization;\nvar x = 20;\nint Twice(int v) => 2 * v;\nrecord Pair(int A, int B);",
            "var p = new Pair(x, Twice(x));\nConsole.WriteLine(p.B.ToString(CultureInfo.InvariantCulture));");
        Assert.Equal([1, 2], run.Cells.Select(c => c.ExecutionCount));
        Assert.Equal([2, 3], run.Cells.Select(c => c.Number));
        Assert.Equal(new StreamOutput("stdout", "40\n"), Assert.Single(run.Cells[1].Outputs));
    }

    [Fact]
    public async Task RunAsync_RecordsDisplayConsoleAndResult_InOrder()
    {
        using var temp = new TempFolder();
        var run = await Run(temp, "Console.Write(\"a\");\nConsole.WriteLine(\"b\");\ndisplay(HTML(\"<b>bold</b>\"));\ndisplay(\"text\");\nConsole.Error.WriteLine(\"oops\");\n6 * 7");
        var outputs = run.Cells[0].Outputs;
        Assert.Equal(5, outputs.Count);
        Assert.Equal(new StreamOutput("stdout", "ab\n"), outputs[0]);
        Assert.Equal("<b>bold</b>", Assert.IsType<DisplayOutput>(outputs[1]).Data["text/html"]);
        Assert.Equal("text", Assert.IsType<DisplayOutput>(outputs[2]).Data["text/plain"]);
        Assert.Equal(new StreamOutput("stderr", "oops\n"), outputs[3]);
        var result = Assert.IsType<ResultOutput>(outputs[4]);
        Assert.Equal(1, result.ExecutionCount);
        Assert.Contains("42", result.Data.Values.First(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RunsInTheNotebookFolder_AndRestoresTheCurrentDirectory()
    {
        using var temp = new TempFolder();
        var before = Directory.GetCurrentDirectory();
        var run = await Run(temp, "Console.Write(System.IO.Directory.GetCurrentDirectory());");
        Assert.Equal(new DirectoryInfo(temp.Folder).FullName, ((StreamOutput)run.Cells[0].Outputs[0]).Text);
        Assert.Equal(before, Directory.GetCurrentDirectory());
    }

    [Fact]
    public async Task RunAsync_MapsNugetReferences_ToTheLocalBuild()
    {
        using var temp = new TempFolder();
        var run = await Run(temp,
            $"#!csharp\n#r \"nuget: Keypoints.MLNet, {NotebookPackages.LibraryVersion}\"\n#r \"nuget: TorchSharp-cpu, 0.107.0\"",
            "using Keypoints.MLNet;\nusing Microsoft.ML;\nConsole.Write(new MLContext().Keypoints.Trainers.GetType().Name);");
        Assert.Equal(new StreamOutput("stdout", "KeypointTrainersCatalog"), Assert.Single(run.Cells[1].Outputs));
    }

    [Fact]
    public async Task RunAsync_Fails_OnAnUnknownPackage()
    {
        using var temp = new TempFolder();
        var e = await Assert.ThrowsAsync<NotebookCellException>(() => Run(temp, "var a = 1;", "#r \"nuget: Newtonsoft.Json, 13.0.3\""));
        Assert.Equal(3, e.CellNumber);
        Assert.Contains("probe.ipynb, cell 3: line 1: Package 'Newtonsoft.Json' is not one the harness maps", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Fails_OnAVersionTheRepositoryDoesNotBuild()
    {
        using var temp = new TempFolder();
        var e = await Assert.ThrowsAsync<NotebookCellException>(() => Run(temp, "#r \"nuget: TorchSharp-cpu, 0.105.0\""));
        Assert.Contains("referenced at version 0.105.0, but the repository builds 0.107.0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Fails_OnAnotherMagicCommand()
    {
        using var temp = new TempFolder();
        var e = await Assert.ThrowsAsync<NotebookCellException>(() => Run(temp, "#!fsharp\nlet x = 1"));
        Assert.Contains("cell 2: line 1: '#!fsharp' is not supported", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReportsCellLineAndCompilerError()
    {
        using var temp = new TempFolder();
        var e = await Assert.ThrowsAsync<NotebookCellException>(() => Run(temp, "var a = 1;", "var b = 2;\nvar c = a + missing;"));
        Assert.Equal(3, e.CellNumber);
        Assert.Contains("probe.ipynb, cell 3: does not compile:", e.Message, StringComparison.Ordinal);
        Assert.Contains("line 2, column 13: CS0103", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ReportsTheExceptionACellThrows()
    {
        using var temp = new TempFolder();
        var e = await Assert.ThrowsAsync<NotebookCellException>(() => Run(temp, "throw new InvalidOperationException(\"broken\");"));
        Assert.Contains("cell 2: threw System.InvalidOperationException: broken", e.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    [Fact]
    public async Task SaveWithOutputs_WritesOutputsAndCounts_AndLoadReadsThemBack()
    {
        using var temp = new TempFolder();
        var path = NotebookFiles.Write(temp.Folder, "probe.ipynb", "Console.WriteLine(\"one\\ntwo\");\ndisplay(HTML(\"<i>x</i>\"));");
        var notebook = Notebook.Load(path);
        notebook.SaveWithOutputs(await Runner.RunAsync(notebook));
        var text = File.ReadAllText(path);
        Assert.Contains("\"<i>x</i>\"", text, StringComparison.Ordinal);
        Assert.Contains("   \"execution_count\": 1,", text, StringComparison.Ordinal);
        var cell = Notebook.Load(path).Cells[1];
        Assert.Equal(1, cell.ExecutionCount);
        Assert.Equal(2, cell.StoredOutputs!.Count);
        Assert.Equal("one\n", cell.StoredOutputs[0]!["text"]![0]!.GetValue<string>());
        Assert.Equal("display_data", cell.StoredOutputs[1]!["output_type"]!.GetValue<string>());
    }
}
