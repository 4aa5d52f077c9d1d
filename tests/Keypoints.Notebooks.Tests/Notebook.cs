using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keypoints.Notebooks.Tests;

/// <summary>
/// A Jupyter notebook file (nbformat 4, the format Polyglot Notebooks and the .NET Interactive Jupyter kernel write),
/// read as JSON so that everything the harness does not touch (metadata, markdown, attachments) is written back as it was.
/// </summary>
/// <remarks>
/// The harness reads the cells' sources and replaces code cells' <c>outputs</c> and <c>execution_count</c>. Files are
/// written the way Jupyter writes them: UTF-8, one-space indentation, multi-line strings as lists of lines, HTML not
/// escaped, and a final newline.
/// </remarks>
internal sealed class Notebook
{
    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly JsonObject root;

    private Notebook(string path, JsonObject root, IReadOnlyList<NotebookCell> cells)
    {
        Path = path;
        this.root = root;
        Cells = cells;
    }

    /// <summary>The file the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The notebook's cells in order.</summary>
    public IReadOnlyList<NotebookCell> Cells { get; }

    /// <summary>The kernel name in <c>metadata.kernelspec.name</c>, or null when there is none.</summary>
    public string? KernelName => root["metadata"]?["kernelspec"]?["name"]?.GetValue<string>();

    /// <summary>Reads a notebook file.</summary>
    /// <exception cref="InvalidDataException">The file is not nbformat 4 JSON; the message names the file.</exception>
    public static Notebook Load(string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"'{path}' is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
        if (root["nbformat"]?.GetValue<int>() != 4 || root["cells"] is not JsonArray cells)
            throw new InvalidDataException($"'{path}' is not an nbformat 4 notebook (no \"nbformat\": 4 or no \"cells\" array).");
        var list = new List<NotebookCell>();
        for (int i = 0; i < cells.Count; i++)
        {
            var cell = cells[i] as JsonObject ?? throw new InvalidDataException($"'{path}': cell {i + 1} is not a JSON object.");
            var kind = cell["cell_type"]?.GetValue<string>() ?? throw new InvalidDataException($"'{path}': cell {i + 1} has no cell_type.");
            list.Add(new NotebookCell(i + 1, kind, Text(cell["source"]), ReadExecutionCount(cell), cell["outputs"] as JsonArray));
        }
        return new Notebook(path, root, list);
    }

    /// <summary>Replaces the outputs and execution counts of the code cells that <paramref name="run"/> executed and
    /// writes the notebook to <see cref="Path"/>.</summary>
    public void SaveWithOutputs(NotebookRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var cells = (JsonArray)root["cells"]!;
        foreach (var executed in run.Cells)
        {
            var cell = (JsonObject)cells[executed.Number - 1]!;
            cell["execution_count"] = executed.ExecutionCount;
            cell["outputs"] = new JsonArray(executed.Outputs.Select(ToJson).ToArray());
        }
        File.WriteAllText(Path, root.ToJsonString(WriteOptions) + "\n");
    }

    private static JsonNode ToJson(CellOutput output) => output switch
    {
        StreamOutput stream => new JsonObject
        {
            ["name"] = stream.Name,
            ["output_type"] = "stream",
            ["text"] = SplitLines(stream.Text),
        },
        DisplayOutput display => new JsonObject
        {
            ["data"] = new JsonObject(display.Data.Select(d => KeyValuePair.Create<string, JsonNode?>(d.Key, SplitLines(d.Value)))),
            ["metadata"] = new JsonObject(),
            ["output_type"] = "display_data",
        },
        ResultOutput result => new JsonObject
        {
            ["data"] = new JsonObject(result.Data.Select(d => KeyValuePair.Create<string, JsonNode?>(d.Key, SplitLines(d.Value)))),
            ["execution_count"] = result.ExecutionCount,
            ["metadata"] = new JsonObject(),
            ["output_type"] = "execute_result",
        },
        _ => throw new ArgumentOutOfRangeException(nameof(output), output.GetType().Name, "Unknown output kind."),
    };

    // nbformat's multi-line strings: a list of lines, each but the last ending with its newline.
    private static JsonArray SplitLines(string text)
    {
        var lines = new JsonArray();
        int start = 0;
        while (start < text.Length)
        {
            int end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..end]);
            start = end;
        }
        return lines;
    }

    /// <summary>The text of an nbformat multi-line string: one string, or a list of lines; empty for null.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>())),
        _ => node.GetValue<string>(),
    };

    private static int? ReadExecutionCount(JsonObject cell) =>
        cell["execution_count"] is JsonValue value && value.TryGetValue<int>(out var count) ? count : null;
}
