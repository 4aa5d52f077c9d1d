namespace Keypoints.MLNet.Layouts;

/// <summary>
/// What mirroring an image left to right does to its scaled coordinates: coordinate <c>i</c> of the mirrored face
/// is <c>source[Permutation[i]] * Sign[i] + Shift[i]</c>, where the permutation swaps left and right keypoints,
/// and x' = W - 1 + 2a - x in pixels becomes s' = -s + (2a - 1) / (W / 2) in scaled units (y is unchanged). With the
/// axis offset a = 0 that is the mirror of pixel centers at integer coordinates; a labelling convention that puts the
/// points a pixels right of where that convention would (1-based coordinates, say) moves the labels' mirror axis by a.
/// The map is its own inverse, so the same numbers flip a face and undo the flip of a prediction.
/// </summary>
internal sealed class CoordinateFlipMap
{
    /// <summary>Builds the map for <paramref name="layout"/>'s flip pairs and <paramref name="scaling"/>, with the
    /// labels' mirror axis <paramref name="axisOffset"/> pixels right of the image's center line.</summary>
    public CoordinateFlipMap(KeypointLayout layout, CoordinateScaling scaling, double axisOffset = 0)
    {
        int n = layout.CoordinateCount;
        Permutation = new long[n];
        Sign = new float[n];
        Shift = new float[n];
        for (int k = 0; k < layout.KeypointCount; k++)
        {
            int source = layout.FlipPermutation[k];
            Permutation[2 * k] = 2 * source;
            Permutation[2 * k + 1] = 2 * source + 1;
            Sign[2 * k] = -1f;
            Shift[2 * k] = (float)((2 * axisOffset - 1) / scaling.HalfSize[2 * k]);
            Sign[2 * k + 1] = 1f;
        }
    }

    /// <summary>For each coordinate of the mirrored face, the coordinate of the original it comes from.</summary>
    public long[] Permutation { get; }

    /// <summary>-1 for x coordinates, 1 for y.</summary>
    public float[] Sign { get; }

    /// <summary>(2a - 1) / (W / 2) for x coordinates (the pixel-center convention's offset and the axis offset a), 0
    /// for y.</summary>
    public float[] Shift { get; }
}
