using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Evaluation;

/// <summary>
/// The length a row's mean point error is divided by for the NME, chosen from the layout: the distance between the
/// true eye centers when the layout has eyes (keypoints <c>left_eye_center</c> and <c>right_eye_center</c>, or else the
/// means of the keypoints named <c>left_eye_*</c> and <c>right_eye_*</c>, as in <see cref="KeypointLayout.Ibug68"/>),
/// otherwise the diagonal of the box around the row's true keypoints (undefined with fewer than two). <see
/// cref="ForOuterEyeCorners"/> gives the other common one, the distance between the outer eye corners.
/// </summary>
internal sealed class NmeNormalizer
{
    private readonly int[] left;
    private readonly int[] right;

    private NmeNormalizer(int left, int right, string description)
    {
        (this.left, this.right) = ([left], [right]);
        Description = description;
    }

    public NmeNormalizer(KeypointLayout layout)
    {
        var names = layout.KeypointNames;
        int leftCenter = IndexOf(names, "left_eye_center"),
            rightCenter = IndexOf(names, "right_eye_center");
        if (leftCenter >= 0 && rightCenter >= 0)
        {
            (left, right) = ([leftCenter], [rightCenter]);
            Description = "distance between the true left and right eye centers";
            return;
        }
        left = Starting(names, "left_eye_");
        right = Starting(names, "right_eye_");
        if (left.Length > 0 && right.Length > 0)
        {
            Description = "distance between the true eye centers (means of the left_eye_* and right_eye_* keypoints)";
            return;
        }
        (left, right) = ([], []);
        Description =
            layout.KeypointCount >= 2
                ? "diagonal of the box around the true keypoints (the layout has no eyes)"
                : "none: a single keypoint has no eyes and no box to normalize by, so the NME is undefined";
    }

    /// <summary>The distance between the true outer eye corners (<see cref="KeypointLayout.OuterEyeCornerKeypoints"/>),
    /// the inter-ocular normalization of 300-W papers; null when the layout has none.</summary>
    public static NmeNormalizer? ForOuterEyeCorners(KeypointLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (layout.OuterEyeCornerKeypoints is not var (left, right))
            return null;
        var names = layout.KeypointNames;
        return new NmeNormalizer(
            left,
            right,
            $"distance between the true outer eye corners ({names[left]}, {names[right]})"
        );
    }

    /// <summary>What the NME is divided by, in words.</summary>
    public string Description { get; }

    /// <summary>The normalizing length of one row in pixels, from its true coordinates; NaN when it is
    /// undefined.</summary>
    public double Length(float[] truth)
    {
        if (left.Length > 0)
        {
            var (lx, ly) = Mean(truth, left);
            var (rx, ry) = Mean(truth, right);
            return Math.Sqrt((lx - rx) * (lx - rx) + (ly - ry) * (ly - ry));
        }
        double minX = double.PositiveInfinity,
            minY = double.PositiveInfinity,
            maxX = double.NegativeInfinity,
            maxY = double.NegativeInfinity;
        int points = 0;
        for (int k = 0; 2 * k + 1 < truth.Length; k++)
        {
            if (float.IsNaN(truth[2 * k]) || float.IsNaN(truth[2 * k + 1]))
                continue;
            (minX, maxX) = (Math.Min(minX, truth[2 * k]), Math.Max(maxX, truth[2 * k]));
            (minY, maxY) = (Math.Min(minY, truth[2 * k + 1]), Math.Max(maxY, truth[2 * k + 1]));
            points++;
        }
        return points >= 2 ? Math.Sqrt((maxX - minX) * (maxX - minX) + (maxY - minY) * (maxY - minY)) : double.NaN;
    }

    private static (double X, double Y) Mean(float[] truth, int[] keypoints)
    {
        double x = 0,
            y = 0;
        foreach (int k in keypoints)
        {
            x += truth[2 * k];
            y += truth[2 * k + 1];
        }
        // A missing coordinate makes the mean NaN, so the row has no NME, as a missing eye center does.
        return (x / keypoints.Length, y / keypoints.Length);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
                return i;
        }
        return -1;
    }

    private static int[] Starting(IReadOnlyList<string> names, string prefix) =>
        Enumerable.Range(0, names.Count).Where(i => names[i].StartsWith(prefix, StringComparison.Ordinal)).ToArray();
}
