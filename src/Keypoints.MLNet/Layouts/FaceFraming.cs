namespace Keypoints.MLNet.Layouts;

/// <summary>
/// How the faces a model was trained on sit in their frame (the network's input image), measured from the training
/// labels: the midpoint between the eye centers and the inter-ocular distance, each as a fraction of the frame's width,
/// with the standard deviation over the training faces. A face detector that cuts faces out of photos cuts them this
/// way, so the model sees what it learned on.
/// </summary>
/// <param name="EyeMidpointX">Mean x of the eye midpoint, as a fraction of the frame width (0 = left edge of the first
/// pixel column's center, pixel centers at integer coordinates).</param>
/// <param name="EyeMidpointXStd">Standard deviation of <paramref name="EyeMidpointX"/> over the faces.</param>
/// <param name="EyeMidpointY">Mean y of the eye midpoint, as a fraction of the frame width (not height: one unit for
/// both axes).</param>
/// <param name="EyeMidpointYStd">Standard deviation of <paramref name="EyeMidpointY"/>.</param>
/// <param name="InterOcularDistance">Mean distance between the eye centers, as a fraction of the frame width.</param>
/// <param name="InterOcularDistanceStd">Standard deviation of <paramref name="InterOcularDistance"/>.</param>
/// <param name="Faces">The number of training faces with both eyes labelled, over which these are measured.</param>
public sealed record FaceFraming(
    double EyeMidpointX,
    double EyeMidpointXStd,
    double EyeMidpointY,
    double EyeMidpointYStd,
    double InterOcularDistance,
    double InterOcularDistanceStd,
    int Faces
)
{
    /// <summary>Measures the framing of labelled faces.</summary>
    /// <param name="layout">The keypoint set and frame size of the labels.</param>
    /// <param name="pixelLabels">Rows of <c>2K</c> pixel coordinates one after the other, NaN where missing.</param>
    /// <returns><see langword="null"/> when the layout names no eyes or no row has both eyes.</returns>
    public static FaceFraming? Measure(KeypointLayout layout, ReadOnlySpan<float> pixelLabels)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.EyeCenterKeypoints is null || pixelLabels.Length % layout.CoordinateCount != 0)
            return null;
        double width = layout.ImageWidth;
        var x = new List<double>();
        var y = new List<double>();
        var distance = new List<double>();
        for (int offset = 0; offset < pixelLabels.Length; offset += layout.CoordinateCount)
        {
            if (
                !layout.TryGetEyeCenters(pixelLabels.Slice(offset, layout.CoordinateCount), out var left, out var right)
            )
            {
                continue;
            }

            x.Add((left.X + right.X) / 2 / width);
            y.Add((left.Y + right.Y) / 2 / width);
            distance.Add(
                Math.Sqrt(((left.X - right.X) * (left.X - right.X)) + ((left.Y - right.Y) * (left.Y - right.Y))) / width
            );
        }
        if (x.Count == 0)
            return null;
        return new FaceFraming(x.Average(), Std(x), y.Average(), Std(y), distance.Average(), Std(distance), x.Count);
    }

    // Population standard deviation: the spread of the training faces themselves, not an estimate for a larger set.
    private static double Std(List<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}
