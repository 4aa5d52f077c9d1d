namespace Keypoints.Notebooks.Tests;

/// <summary>Something a code cell produced, as the kernel reports it to the notebook (an nbformat output).</summary>
internal abstract record CellOutput;
