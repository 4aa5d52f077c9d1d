namespace Keypoints.Notebooks.Tests;

/// <summary>The value of a cell's trailing expression (an nbformat <c>execute_result</c> output).</summary>
/// <param name="Data">The value formatted for each MIME type.</param>
/// <param name="ExecutionCount">The cell's execution count.</param>
internal sealed record ResultOutput(IReadOnlyDictionary<string, string> Data, int ExecutionCount) : CellOutput;
