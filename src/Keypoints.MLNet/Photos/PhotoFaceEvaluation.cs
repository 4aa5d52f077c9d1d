using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Photos;

/// <summary>Scores the faces predicted in photos against labelled faces. A labelled face is found when a predicted face's eye
/// midpoint lies within half the labelled inter-ocular distance of the labelled eye midpoint; matching is one to one,
/// greedy, nearest pair first (the rule of the reference figures in the photo data's README). The predicted eye midpoint is
/// that of the predicted eye keypoints, or the detector's eyes when the layout names none. Labels may lie outside the photo.</summary>
public static class PhotoFaceEvaluation
{
    /// <summary>Matches and scores every photo.</summary>
    /// <param name="layout">The keypoint set of the labels and the predictions (it must name eyes).</param>
    /// <param name="photos">Per photo, its labelled faces (<c>2K</c> coordinates each, NaN where missing) and the predicted faces.</param>
    /// <exception cref="ArgumentException">The layout names no eyes, or a labelled face has no labelled eyes or the wrong length.</exception>
    public static PhotoFaceMetrics Evaluate(KeypointLayout layout,
        IEnumerable<(IReadOnlyList<float[]> Labels, IReadOnlyList<PhotoFace> Predicted)> photos)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(photos);
        if (layout.EyeCenterKeypoints is null)
            throw new ArgumentException($"Layout '{layout.Name}' names no eyes, so faces cannot be matched by eye midpoint.", nameof(layout));
        int faces = 0, found = 0, falseDetections = 0;
        double errorSum = 0;
        foreach (var (labels, predicted) in photos)
        {
            var labelled = labels.Select(l => LabelledEyes(layout, l)).ToArray();
            var predictedMidpoints = predicted.Select(p => PredictedMidpoint(layout, p)).ToArray();
            var pairs = new List<(double Distance, int Label, int Predicted)>();
            for (int l = 0; l < labelled.Length; l++)
            {
                for (int p = 0; p < predictedMidpoints.Length; p++)
                {
                    double distance = Distance(labelled[l].X, labelled[l].Y, predictedMidpoints[p].X, predictedMidpoints[p].Y);
                    if (distance <= labelled[l].InterOcularDistance / 2)
                        pairs.Add((distance, l, p));
                }
            }
            var labelTaken = new bool[labelled.Length];
            var predictedTaken = new bool[predictedMidpoints.Length];
            foreach (var (_, l, p) in pairs.OrderBy(pair => pair.Distance))
            {
                if (labelTaken[l] || predictedTaken[p])
                    continue;
                labelTaken[l] = predictedTaken[p] = true;
                found++;
                errorSum += MeanPointError(labels[l], predicted[p].Keypoints) / labelled[l].InterOcularDistance;
            }
            faces += labelled.Length;
            falseDetections += predictedTaken.Count(taken => !taken);
        }
        return new PhotoFaceMetrics(faces, found, falseDetections, found == 0 ? double.NaN : errorSum / found);
    }

    private static (double X, double Y, double InterOcularDistance) LabelledEyes(KeypointLayout layout, float[] labels)
    {
        if (!layout.TryGetEyeCenters(labels, out var left, out var right))
            throw new ArgumentException($"A labelled face has {labels.Length} coordinates or unlabelled eyes; layout '{layout.Name}' needs {layout.CoordinateCount} with both eyes.", nameof(labels));
        return ((left.X + right.X) / 2, (left.Y + right.Y) / 2, Distance(left.X, left.Y, right.X, right.Y));
    }

    private static (double X, double Y) PredictedMidpoint(KeypointLayout layout, PhotoFace face)
    {
        var points = face.Keypoints.ToArray();
        if (layout.TryGetEyeCenters(points, out var left, out var right))
            return ((left.X + right.X) / 2, (left.Y + right.Y) / 2);
        return ((face.Detection.LeftEye.X + face.Detection.RightEye.X) / 2.0, (face.Detection.LeftEye.Y + face.Detection.RightEye.Y) / 2.0);
    }

    private static double MeanPointError(float[] labels, IReadOnlyList<float> predicted)
    {
        double sum = 0;
        int count = 0;
        for (int k = 0; k + 1 < labels.Length; k += 2)
        {
            if (float.IsNaN(labels[k]) || float.IsNaN(labels[k + 1]))
                continue;
            sum += Distance(labels[k], labels[k + 1], predicted[k], predicted[k + 1]);
            count++;
        }
        return count == 0 ? 0 : sum / count;
    }

    private static double Distance(double x0, double y0, double x1, double y1) => Math.Sqrt(((x0 - x1) * (x0 - x1)) + ((y0 - y1) * (y0 - y1)));
}
