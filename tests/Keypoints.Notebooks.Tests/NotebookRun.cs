namespace Keypoints.Notebooks.Tests;

/// <summary>The result of running every code cell of a notebook in order.</summary>
/// <param name="Cells">The code cells, in order.</param>
/// <param name="Elapsed">Wall-clock time of the whole run.</param>
internal sealed record NotebookRun(IReadOnlyList<ExecutedCell> Cells, TimeSpan Elapsed);
