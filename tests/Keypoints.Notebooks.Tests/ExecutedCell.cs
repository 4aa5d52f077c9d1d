namespace Keypoints.Notebooks.Tests;

/// <summary>A code cell the harness ran.</summary>
/// <param name="Number">1-based position among all the notebook's cells.</param>
/// <param name="ExecutionCount">The kernel's execution count: 1 for the first code cell, and so on.</param>
/// <param name="Outputs">What the cell produced, in order.</param>
/// <param name="Elapsed">Wall-clock time the cell took, compilation included.</param>
internal sealed record ExecutedCell(int Number, int ExecutionCount, IReadOnlyList<CellOutput> Outputs, TimeSpan Elapsed);
