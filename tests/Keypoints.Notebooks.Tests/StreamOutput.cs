namespace Keypoints.Notebooks.Tests;

/// <summary>Text the cell wrote to the console (an nbformat <c>stream</c> output).</summary>
/// <param name="Name"><c>stdout</c> or <c>stderr</c>.</param>
/// <param name="Text">The text, newlines included.</param>
internal sealed record StreamOutput(string Name, string Text) : CellOutput;
