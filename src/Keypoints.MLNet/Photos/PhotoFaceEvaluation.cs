using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Photos;

/// <summary>Scores the faces predicted in photos against labelled faces. A labelled face is found when a predicted
/// face's eye midpoint lies within half the labelled inter-ocular distance of the labelled eye midpoint; matching is
/// one to one, greedy, nearest pair first (the rule of the reference figures in the photo data's README). The predicted
/// eye midpoint is that of the predicted eye keypoints. Labels may lie outside the photo.</summary>
public static class PhotoFaceEvaluation
{
    /// <summary>Matches and scores every photo.</summary>
    /// <param name="layout">The keypoint set of the labels and the predictions (it must name eyes).</param>
    /// <param name="photos">Per photo, its labelled faces (<c>2K</c> coordinates each, NaN where missing) and the
    /// predicted faces.</param>
    /// <exception cref="ArgumentException">The layout names no eyes, or a labelled face has no labelled eyes or the
    /// wrong length.</exception>
    public static PhotoFaceMetrics Evaluate(
        KeypointLayout layout,
        IEnumerable<(IReadOnlyList<float[]> Labels, IReadOnlyList<PhotoFace> Predicted)> photos
    )
    {
        ArgumentNullException.ThrowIfNull(photos);
        return EvaluateKeypoints(
            layout,
            photos.Select(p =>
                (p.Labels, (IReadOnlyList<IReadOnlyList<float>>)[.. p.Predicted.Select(f => f.Keypoints)])
            )
        );
    }

    /// <summary>Matches and scores every photo, from the predicted faces' keypoints alone (for example the rows of a
    /// <see cref="KeypointPhotoModel"/>'s columns).</summary>
    /// <param name="layout">The keypoint set of the labels and the predictions (it must name eyes).</param>
    /// <param name="photos">Per photo, its labelled faces and the predicted faces' <c>2K</c> coordinates, all in photo
    /// pixels.</param>
    /// <exception cref="ArgumentException">The layout names no eyes, or a labelled face has no labelled eyes or the
    /// wrong length.</exception>
    public static PhotoFaceMetrics EvaluateKeypoints(
        KeypointLayout layout,
        IEnumerable<(IReadOnlyList<float[]> Labels, IReadOnlyList<IReadOnlyList<float>> Predicted)> photos
    )
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(photos);
        if (layout.EyeCenterKeypoints is null)
        {
            throw new ArgumentException(
                $"Layout '{layout.Name}' names no eyes, so faces cannot be matched by eye midpoint.",
                nameof(layout)
            );
        }

        int faces = 0,
            found = 0,
            falseDetections = 0,
            photo = -1;
        double errorSum = 0;
        var cornerErrors = new List<double>();
        var outcomes = new List<PhotoFaceOutcome>();
        foreach (var (labels, predicted) in photos)
        {
            photo++;
            var (labelled, matched, predictedTaken, errors, pixelErrors) = MatchPhoto(layout, labels, predicted);
            cornerErrors.AddRange(CornerErrors(layout, labels, pixelErrors, matched));
            for (int l = 0; l < labelled; l++)
                outcomes.Add(new PhotoFaceOutcome(photo, l, matched[l], matched[l] < 0 ? double.NaN : errors[l]));
            for (int p = 0; p < predictedTaken.Length; p++)
            {
                if (!predictedTaken[p])
                    outcomes.Add(new PhotoFaceOutcome(photo, -1, p, double.NaN));
            }
            faces += labelled;
            found += matched.Count(m => m >= 0);
            errorSum += errors.Sum();
            falseDetections += predictedTaken.Count(taken => !taken);
        }
        return new PhotoFaceMetrics(faces, found, falseDetections, found == 0 ? double.NaN : errorSum / found, outcomes)
        {
            NmeOuterEyeCorners = cornerErrors.Count == 0 ? double.NaN : cornerErrors.Average(),
        };
    }

    /// <summary>Each matched face's mean point error (pixels) over the distance between its labelled outer eye corners;
    /// none when the layout has no outer corners or a face's are unlabelled.</summary>
    private static IEnumerable<double> CornerErrors(
        KeypointLayout layout,
        IReadOnlyList<float[]> labels,
        double[] pixelErrors,
        int[] matched
    )
    {
        if (layout.OuterEyeCornerKeypoints is not var (left, right))
            yield break;
        for (int l = 0; l < matched.Length; l++)
        {
            float[] label = labels[l];
            double corners = Distance(label[2 * left], label[2 * left + 1], label[2 * right], label[2 * right + 1]);
            if (matched[l] >= 0 && corners > 0)
                yield return pixelErrors[l] / corners;
        }
    }

    /// <summary>Matches one photo's detections to its labelled faces by eye midpoint, nearest first, within half the
    /// labelled inter-ocular distance: each label's detection (-1 when none), which detections were taken, and each
    /// matched face's NME and mean point error in pixels (0 for an unmatched one).</summary>
    private static (
        int Labelled,
        int[] Matched,
        bool[] PredictedTaken,
        double[] Errors,
        double[] PixelErrors
    ) MatchPhoto(KeypointLayout layout, IReadOnlyList<float[]> labels, IReadOnlyList<IReadOnlyList<float>> predicted)
    {
        var labelled = labels.Select(l => LabelledEyes(layout, l)).ToArray();
        var midpoints = predicted.Select(p => PredictedMidpoint(layout, p)).ToArray();
        int[] matchOf = Enumerable.Repeat(-1, labelled.Length).ToArray();
        bool[] predictedTaken = new bool[midpoints.Length];
        double[] errors = new double[labelled.Length],
            pixelErrors = new double[labelled.Length];
        foreach (var (_, l, p) in CandidatePairs(labelled, midpoints).OrderBy(pair => pair.Distance))
        {
            if (matchOf[l] >= 0 || predictedTaken[p])
                continue;
            matchOf[l] = p;
            predictedTaken[p] = true;
            pixelErrors[l] = MeanPointError(labels[l], predicted[p]);
            errors[l] = pixelErrors[l] / labelled[l].InterOcularDistance;
        }
        return (labelled.Length, matchOf, predictedTaken, errors, pixelErrors);
    }

    private static List<(double Distance, int Label, int Predicted)> CandidatePairs(
        (double X, double Y, double InterOcularDistance)[] labelled,
        (double X, double Y)[] midpoints
    )
    {
        var pairs = new List<(double Distance, int Label, int Predicted)>();
        for (int l = 0; l < labelled.Length; l++)
        {
            for (int p = 0; p < midpoints.Length; p++)
            {
                double distance = Distance(labelled[l].X, labelled[l].Y, midpoints[p].X, midpoints[p].Y);
                if (distance <= labelled[l].InterOcularDistance / 2)
                    pairs.Add((distance, l, p));
            }
        }
        return pairs;
    }

    private static (double X, double Y, double InterOcularDistance) LabelledEyes(KeypointLayout layout, float[] labels)
    {
        if (!layout.TryGetEyeCenters(labels, out var left, out var right))
        {
            throw new ArgumentException(
                $"A labelled face has {labels.Length} coordinates or unlabelled eyes; layout '{layout.Name}' needs "
                    + $"{layout.CoordinateCount} with both eyes.",
                nameof(labels)
            );
        }

        return ((left.X + right.X) / 2, (left.Y + right.Y) / 2, Distance(left.X, left.Y, right.X, right.Y));
    }

    /// <summary>The predicted eye midpoint; NaN (never matched) when the predicted eyes are missing.</summary>
    private static (double X, double Y) PredictedMidpoint(KeypointLayout layout, IReadOnlyList<float> keypoints) =>
        layout.TryGetEyeCenters([.. keypoints], out var left, out var right)
            ? ((left.X + right.X) / 2, (left.Y + right.Y) / 2)
            : (double.NaN, double.NaN);

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

    private static double Distance(double x0, double y0, double x1, double y1) =>
        Math.Sqrt(((x0 - x1) * (x0 - x1)) + ((y0 - y1) * (y0 - y1)));
}
