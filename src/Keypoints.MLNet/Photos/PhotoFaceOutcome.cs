namespace Keypoints.MLNet.Photos;

/// <summary>What became of one labelled or predicted face in <see cref="PhotoFaceEvaluation"/>: found (both indices),
/// missed (no predicted face) or a false detection (no labelled face).</summary>
/// <param name="Photo">The photo's index in the evaluated sequence.</param>
/// <param name="Label">The labelled face's index in its photo; -1 for a false detection.</param>
/// <param name="Predicted">The predicted face's index in its photo; -1 for a missed face.</param>
/// <param name="Nme">The found face's mean point error over its labelled inter-ocular distance; NaN otherwise.</param>
public sealed record PhotoFaceOutcome(int Photo, int Label, int Predicted, double Nme)
{
    /// <summary>A labelled face that no detection matched.</summary>
    public bool IsMissed => Predicted < 0;

    /// <summary>A detection that matched no labelled face.</summary>
    public bool IsFalseDetection => Label < 0;
}
