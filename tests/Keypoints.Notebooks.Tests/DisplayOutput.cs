namespace Keypoints.Notebooks.Tests;

/// <summary>A value the cell showed with <c>display(...)</c> (an nbformat <c>display_data</c> output).</summary>
/// <param name="Data">The value formatted for each MIME type, for example <c>text/html</c>.</param>
internal sealed record DisplayOutput(IReadOnlyDictionary<string, string> Data) : CellOutput;
