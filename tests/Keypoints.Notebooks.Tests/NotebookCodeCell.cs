using System.Globalization;
using System.Text.Json.Nodes;

namespace Keypoints.Notebooks.Tests;

/// <summary>One code cell of a notebook file: its source, execution count and outputs as the kernel wrote
/// them.</summary>
/// <param name="Index">The cell's position among all the notebook's cells, from 0 (as Jupyter counts them).</param>
/// <param name="Source">The cell's code.</param>
/// <param name="ExecutionCount">The kernel's execution count, or null for a cell that did not run.</param>
/// <param name="Outputs">The outputs, each an nbformat output object.</param>
/// <param name="Elapsed">How long the cell ran, from the timing Jupyter records in its metadata, when present.</param>
internal sealed record NotebookCodeCell(
    int Index,
    string Source,
    int? ExecutionCount,
    IReadOnlyList<JsonObject> Outputs,
    TimeSpan? Elapsed
)
{
    /// <summary>The cell's error outputs, each as "name: value", followed by what the cell wrote to stderr (the
    /// kernel reports a compilation error's diagnostics there).</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            string stderr = string.Concat(
                    Outputs
                        .Where(o =>
                            o["output_type"]?.GetValue<string>() == "stream"
                            && o["name"]?.GetValue<string>() == "stderr"
                        )
                        .Select(o => NotebookFile.Text(o["text"]))
                )
                .Trim();
            return
            [
                .. Outputs
                    .Where(o => o["output_type"]?.GetValue<string>() == "error")
                    .Select(o =>
                        $"{o["ename"]?.GetValue<string>()}: {o["evalue"]?.GetValue<string>()}"
                        + (stderr.Length > 0 ? "\n" + stderr : "")
                    ),
            ];
        }
    }

    /// <summary>The MIME types of the cell's displayed data (<c>display_data</c> and <c>execute_result</c>
    /// outputs).</summary>
    public IEnumerable<string> DataTypes =>
        Outputs.Select(o => o["data"]).OfType<JsonObject>().SelectMany(d => d.Select(p => p.Key));

    /// <summary>Reads the code cell at <paramref name="index"/>.</summary>
    public static NotebookCodeCell Read(JsonObject cell, int index)
    {
        var timing = cell["metadata"]?["execution"];
        var elapsed = Time(timing?["shell.execute_reply"]) - Time(timing?["iopub.execute_input"]);
        return new NotebookCodeCell(
            index,
            NotebookFile.Text(cell["source"]),
            cell["execution_count"]?.GetValue<int>(),
            [.. (cell["outputs"] as JsonArray ?? []).OfType<JsonObject>()],
            elapsed
        );
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node?.GetValue<string>() is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture) : null;
}
