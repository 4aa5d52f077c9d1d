namespace Keypoints.MLNet.Photos;

/// <summary>How well faces were found and their keypoints placed in labelled photos (<see
/// cref="PhotoFaceEvaluation"/>).</summary>
/// <param name="Faces">Labelled faces.</param>
/// <param name="Found">Labelled faces matched by a detection.</param>
/// <param name="FalseDetections">Detections matched to no labelled face.</param>
/// <param name="Nme">Mean over found faces of the mean point error divided by the labelled inter-ocular distance; NaN
/// when none was found.</param>
/// <param name="Outcomes">Every labelled face (found or missed) and every false detection, photo by photo.</param>
public sealed record PhotoFaceMetrics(
    int Faces,
    int Found,
    int FalseDetections,
    double Nme,
    IReadOnlyList<PhotoFaceOutcome> Outcomes
)
{
    /// <summary>As <c>Nme</c>, divided by the labelled distance between the outer eye corners instead (the
    /// normalization of 300-W papers; <see cref="Layouts.KeypointLayout.OuterEyeCornerKeypoints"/>); NaN when the
    /// layout has no outer eye corners or no face was found.</summary>
    public double NmeOuterEyeCorners { get; init; } = double.NaN;

    /// <summary>Found faces over labelled faces (NaN without labelled faces).</summary>
    public double Recall => Faces == 0 ? double.NaN : (double)Found / Faces;
}
