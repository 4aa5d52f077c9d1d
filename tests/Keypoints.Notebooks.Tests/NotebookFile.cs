using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Keypoints.Notebooks.Tests;

/// <summary>A notebook file (nbformat 4, as Jupyter and Polyglot Notebooks write it), read as JSON: its kernel, its
/// code cells with their outputs, and the package references of its first cells.</summary>
internal sealed partial class NotebookFile
{
    private NotebookFile(string path, string? kernelName, IReadOnlyList<NotebookCodeCell> codeCells)
    {
        Path = path;
        KernelName = kernelName;
        CodeCells = codeCells;
    }

    /// <summary>The folder of the repository's notebooks.</summary>
    public static string Folder => System.IO.Path.Combine(SharedData.RepositoryRoot, "notebooks");

    /// <summary>The file names of the repository's notebooks, sorted.</summary>
    public static IReadOnlyList<string> Names =>
        Directory.Exists(Folder)
            ?
            [
                .. Directory
                    .EnumerateFiles(Folder, "*.ipynb")
                    .Select(p => System.IO.Path.GetFileName(p))
                    .Order(StringComparer.Ordinal),
            ]
            : [];

    /// <summary>The file the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The kernel name in <c>metadata.kernelspec.name</c>, or null when there is none.</summary>
    public string? KernelName { get; }

    /// <summary>The code cells in order.</summary>
    public IReadOnlyList<NotebookCodeCell> CodeCells { get; }

    /// <summary>The folder of the first <c>#i "nuget: folder"</c> line, or null when there is none.</summary>
    public string? LocalFeedFolder =>
        CodeCells.Select(c => LocalFeedLine().Match(c.Source)).FirstOrDefault(m => m.Success)?.Groups["folder"].Value;

    /// <summary>The version of the first <c>#r "nuget: Keypoints.MLNet, version"</c> line, or null when there is
    /// none.</summary>
    public string? PackageVersion =>
        CodeCells.Select(c => PackageLine().Match(c.Source)).FirstOrDefault(m => m.Success)?.Groups["version"].Value;

    /// <summary>Reads a notebook file.</summary>
    /// <exception cref="InvalidDataException">The file is not nbformat 4 JSON; the message names the file.</exception>
    public static NotebookFile Load(string path)
    {
        JsonObject root;
        try
        {
            root =
                JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"'{path}' is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
        if (root["nbformat"]?.GetValue<int>() != 4 || root["cells"] is not JsonArray cells)
        {
            throw new InvalidDataException(
                $"'{path}' is not an nbformat 4 notebook (no \"nbformat\": 4 or no \"cells\" array)."
            );
        }

        var code = cells
            .OfType<JsonObject>()
            .Select((cell, index) => (cell, index))
            .Where(c => c.cell["cell_type"]?.GetValue<string>() == "code")
            .Select(c => NotebookCodeCell.Read(c.cell, c.index))
            .ToArray();
        return new NotebookFile(path, root["metadata"]?["kernelspec"]?["name"]?.GetValue<string>(), code);
    }

    /// <summary>A notebook string: a single string or a list of lines.</summary>
    public static string Text(JsonNode? node) =>
        node switch
        {
            JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
            JsonValue value => value.GetValue<string>(),
            _ => "",
        };

    [GeneratedRegex("""^#i\s+"nuget:\s*(?<folder>[^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex LocalFeedLine();

    [GeneratedRegex("""^#r\s+"nuget:\s*Keypoints\.MLNet,\s*(?<version>[^"\s]+)\s*"\s*$""", RegexOptions.Multiline)]
    private static partial Regex PackageLine();
}
