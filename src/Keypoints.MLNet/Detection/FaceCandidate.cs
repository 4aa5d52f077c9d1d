namespace Keypoints.MLNet.Detection;

/// <summary>One decoded anchor before non-maximum suppression, in image pixels (pixel centres at integers).</summary>
/// <param name="Score">Sigmoid score, 0 to 1.</param>
/// <param name="Geometry">16 values: box centre x, y, width, height, then x, y of the six points in the model's order
/// (right eye, left eye, nose, mouth, right ear, left ear; the subject's sides).</param>
internal sealed record FaceCandidate(float Score, float[] Geometry)
{
    /// <summary>Number of values in <see cref="Geometry"/>.</summary>
    public const int GeometryLength = 16;

    /// <summary>Left edge of the box.</summary>
    public float Left => Geometry[0] - (Geometry[2] / 2);

    /// <summary>Top edge of the box.</summary>
    public float Top => Geometry[1] - (Geometry[3] / 2);

    /// <summary>Right edge of the box.</summary>
    public float Right => Geometry[0] + (Geometry[2] / 2);

    /// <summary>Bottom edge of the box.</summary>
    public float Bottom => Geometry[1] + (Geometry[3] / 2);

    /// <summary>Intersection over union of the two boxes (0 when either is empty).</summary>
    public float IntersectionOverUnion(FaceCandidate other)
    {
        float width = Math.Min(Right, other.Right) - Math.Max(Left, other.Left);
        float height = Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top);
        if (width <= 0 || height <= 0)
            return 0;
        float intersection = width * height;
        float union = (Geometry[2] * Geometry[3]) + (other.Geometry[2] * other.Geometry[3]) - intersection;
        return union > 0 ? intersection / union : 0;
    }
}
