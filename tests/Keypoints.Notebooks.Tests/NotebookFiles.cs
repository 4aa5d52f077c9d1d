using System.Text.Json.Nodes;

namespace Keypoints.Notebooks.Tests;

/// <summary>Locates the repository's notebooks, and writes small notebooks for the harness's own tests.</summary>
internal static class NotebookFiles
{
    /// <summary>The repository root (the folder holding Keypoints.sln).</summary>
    public static string RepositoryRoot => SharedData.RepositoryRoot;

    /// <summary>The folder of the repository's notebooks.</summary>
    public static string Folder => Path.Combine(RepositoryRoot, "notebooks");

    /// <summary>The file names of the repository's notebooks, sorted.</summary>
    public static IReadOnlyList<string> Names =>
        Directory.Exists(Folder)
            ? [.. Directory.EnumerateFiles(Folder, "*.ipynb").Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Writes a C# notebook named <paramref name="name"/> in <paramref name="folder"/> with a markdown cell, then one
    /// code cell per entry of <paramref name="codeCells"/>, and returns its path.</summary>
    public static string Write(string folder, string name, params string[] codeCells)
    {
        var cells = new JsonArray(new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "# A test notebook" });
        foreach (var code in codeCells)
        {
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["metadata"] = new JsonObject(),
                ["outputs"] = new JsonArray(),
                ["source"] = code,
            });
        }
        var notebook = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 2,
        };
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }
}
