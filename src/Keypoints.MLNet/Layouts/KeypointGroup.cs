namespace Keypoints.MLNet.Layouts;

/// <summary>
/// A named subset of a layout's keypoints that is trained or evaluated together,
/// such as one of Nouri's six specialist groups of the Kaggle layout.
/// </summary>
/// <param name="Name">A short name, for example <c>eye_centers</c>.</param>
/// <param name="KeypointIndices">Indices into <see cref="KeypointLayout.KeypointNames"/>, in layout order.</param>
public sealed record KeypointGroup(string Name, IReadOnlyList<int> KeypointIndices);
