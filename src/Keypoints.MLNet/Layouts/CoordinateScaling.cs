namespace Keypoints.MLNet.Layouts;

/// <summary>
/// Maps pixel coordinates to the network's targets and back: each coordinate becomes
/// (pixel - size/2) / (size/2), so a 96-pixel Kaggle face maps to [-1, 1] as in Nouri's (y - 48) / 48.
/// </summary>
internal sealed class CoordinateScaling
{
    /// <summary>Builds the scaling for <paramref name="layout"/>'s image size.</summary>
    public CoordinateScaling(KeypointLayout layout)
    {
        Center = new float[layout.CoordinateCount];
        HalfSize = new float[layout.CoordinateCount];
        for (int i = 0; i < layout.CoordinateCount; i += 2)
        {
            Center[i] = HalfSize[i] = layout.ImageWidth / 2f;
            Center[i + 1] = HalfSize[i + 1] = layout.ImageHeight / 2f;
        }
    }

    /// <summary>Per-coordinate center in pixels (x then y for each keypoint).</summary>
    public float[] Center { get; }

    /// <summary>Per-coordinate half image size in pixels: one scaled unit is this many pixels.</summary>
    public float[] HalfSize { get; }

    /// <summary>Pixel coordinate <paramref name="value"/> at position <paramref name="index"/> to a scaled target (NaN
    /// stays NaN).</summary>
    public float ToTarget(float value, int index) => (value - Center[index]) / HalfSize[index];
}
