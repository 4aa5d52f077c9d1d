using System.Text.Json.Nodes;

namespace Keypoints.Notebooks.Tests;

/// <summary>One cell of a <see cref="Notebook"/>.</summary>
/// <param name="Number">1-based position among all the notebook's cells, as a reader counts them.</param>
/// <param name="Kind">The nbformat <c>cell_type</c>: <c>code</c>, <c>markdown</c> or <c>raw</c>.</param>
/// <param name="Source">The cell's text.</param>
/// <param name="ExecutionCount">The stored <c>execution_count</c> of a code cell; null when it has not run.</param>
/// <param name="StoredOutputs">The stored <c>outputs</c> of a code cell, as JSON; null for other cells.</param>
internal sealed record NotebookCell(int Number, string Kind, string Source, int? ExecutionCount, JsonArray? StoredOutputs)
{
    /// <summary>Whether the cell holds code for the kernel.</summary>
    public bool IsCode => Kind == "code";
}
