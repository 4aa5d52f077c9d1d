using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Photos;

namespace Keypoints.MLNet.Tests.Photos;

/// <summary>Matching predicted faces to labelled faces by eye midpoint, and the photo metrics.</summary>
public sealed class PhotoFaceEvaluationTests
{
    private static readonly KeypointLayout Layout = KeypointLayout.Kaggle15;

    [Fact]
    public void Evaluate_MatchesWithinHalfTheInterOcularDistance_CountsFalseDetections_AndNormalisesTheErrorBothWays()
    {
        float[][] labelled = new[] { Labels(100, 100, 40), Labels(300, 100, 40) };
        // The first prediction is 2 px off everywhere (error 2 / 40); the second is 25 px from the second face's
        // midpoint (beyond half its inter-ocular distance, 20 px): a false detection, and that face is not found.
        var predicted = new[] { Predicted(Shift(labelled[0], 2)), Predicted(Shift(labelled[1], 25)) };

        var metrics = PhotoFaceEvaluation.Evaluate(Layout, [(labelled, predicted)]);

        Assert.Equal(2, metrics.Faces);
        Assert.Equal(1, metrics.Found);
        Assert.Equal(1, metrics.FalseDetections);
        Assert.Equal(0.5, metrics.Recall, 9);
        Assert.Equal(2.0 / 40, metrics.Nme, 6);
        Assert.Equal(2.0 / 60, metrics.NmeOuterEyeCorners, 6);
    }

    [Fact]
    public void Evaluate_IsGreedyNearestFirst_AndOneToOne()
    {
        float[][] labelled = new[] { Labels(100, 100, 40) };
        var predicted = new[] { Predicted(Shift(labelled[0], 5)), Predicted(Shift(labelled[0], 1)) };

        var metrics = PhotoFaceEvaluation.Evaluate(Layout, [(labelled, predicted)]);

        Assert.Equal(1, metrics.Found);
        Assert.Equal(1, metrics.FalseDetections);
        Assert.Equal(1.0 / 40, metrics.Nme, 6);
    }

    [Fact]
    public void EvaluateKeypoints_ListsEveryFoundMissedAndFalseFace_PhotoByPhoto()
    {
        float[][] first = new[] { Labels(100, 100, 40), Labels(300, 100, 40) };
        float[][] second = new[] { Labels(50, 50, 20) };
        IReadOnlyList<float>[] firstPredicted = [Shift(first[1], 2), Shift(Labels(500, 400, 40), 0)];

        var metrics = PhotoFaceEvaluation.EvaluateKeypoints(
            Layout,
            [(first, firstPredicted), (second, [Shift(second[0], 1)])]
        );

        Assert.Equal(
            [
                new PhotoFaceOutcome(0, 0, -1, double.NaN),
                new PhotoFaceOutcome(0, 1, 0, 2.0 / 40),
                new PhotoFaceOutcome(0, -1, 1, double.NaN),
                new PhotoFaceOutcome(1, 0, 0, 1.0 / 20),
            ],
            metrics.Outcomes
        );
        Assert.True(metrics.Outcomes[0].IsMissed);
        Assert.True(metrics.Outcomes[2].IsFalseDetection);
        Assert.Equal((3, 2, 1), (metrics.Faces, metrics.Found, metrics.FalseDetections));
    }

    [Fact]
    public void Evaluate_WithoutFoundFaces_HasNoNme()
    {
        var metrics = PhotoFaceEvaluation.Evaluate(Layout, [([Labels(100, 100, 40)], [])]);

        Assert.Equal(0, metrics.Found);
        Assert.True(double.IsNaN(metrics.Nme));
    }

    /// <summary>A Kaggle-15 face whose every point sits at the eye midpoint except the eye centres, <paramref
    /// name="distance"/> apart.</summary>
    private static float[] Labels(float x, float y, float distance)
    {
        float[] points = new float[Layout.CoordinateCount];
        for (int k = 0; k < points.Length; k += 2)
        {
            points[k] = x;
            points[k + 1] = y;
        }
        int left = Layout.IndexOf("left_eye_center"),
            right = Layout.IndexOf("right_eye_center");
        points[2 * left] = x + (distance / 2);
        points[2 * right] = x - (distance / 2);
        // The outer corners 1.5 times as far apart as the eye centers.
        points[2 * Layout.IndexOf("left_eye_outer_corner")] = x + (distance * 0.75f);
        points[2 * Layout.IndexOf("right_eye_outer_corner")] = x - (distance * 0.75f);
        return points;
    }

    private static float[] Shift(float[] points, float dx) => [.. points.Select((v, i) => i % 2 == 0 ? v + dx : v)];

    private static PhotoFace Predicted(float[] points) =>
        new(0.9f, default, points, Layout.KeypointNames, DetectorEyeCalibrationTests.Face(0, 0, 10, 0), default);
}
