using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Tests.Layouts;

/// <summary>Measuring how faces sit in their frame from keypoint labels.</summary>
public sealed class FaceFramingTests
{
    [Fact]
    public void Measure_Kaggle15_GivesEyeMidpointAndInterOcularDistance_AsFractionsOfTheWidth_WithTheirSpread()
    {
        var layout = KeypointLayout.Kaggle15;
        // Two faces: eyes at (30, 40) and (66, 40), then at (34, 44) and (62, 44); a third without its left eye is
        // skipped.
        var labels = new List<float>();
        labels.AddRange(Face(layout, (66, 40), (30, 40)));
        labels.AddRange(Face(layout, (62, 44), (34, 44)));
        float[] third = Face(layout, (60, 40), (30, 40));
        third[2 * layout.IndexOf("left_eye_center")] = float.NaN;
        labels.AddRange(third);

        var framing = Assert.IsType<FaceFraming>(FaceFraming.Measure(layout, labels.ToArray()));

        Assert.Equal(2, framing.Faces);
        Assert.Equal(48.0 / 96, framing.EyeMidpointX, 9);
        Assert.Equal(0, framing.EyeMidpointXStd, 9);
        Assert.Equal(42.0 / 96, framing.EyeMidpointY, 9);
        Assert.Equal(2.0 / 96, framing.EyeMidpointYStd, 9);
        Assert.Equal(32.0 / 96, framing.InterOcularDistance, 9);
        Assert.Equal(4.0 / 96, framing.InterOcularDistanceStd, 9);
    }

    [Fact]
    public void Ibug68_EyeCenters_AreTheMeansOfPoints36To41And42To47()
    {
        var layout = KeypointLayout.Ibug68;
        var eyes = Assert.NotNull(layout.EyeCenterKeypoints);
        Assert.Equal(Enumerable.Range(42, 6), eyes.Left);
        Assert.Equal(Enumerable.Range(36, 6), eyes.Right);

        float[] coordinates = new float[layout.CoordinateCount];
        for (int k = 36; k < 48; k++)
        {
            coordinates[2 * k] = k < 42 ? 50 + k - 36 : 100 + k - 42;
            coordinates[2 * k + 1] = 60;
        }
        Assert.True(layout.TryGetEyeCenters(coordinates, out var left, out var right));
        Assert.Equal((102.5, 60.0), left);
        Assert.Equal((52.5, 60.0), right);

        var framing = Assert.IsType<FaceFraming>(FaceFraming.Measure(layout, coordinates));
        Assert.Equal(77.5 / 160, framing.EyeMidpointX, 9);
        Assert.Equal(50.0 / 160, framing.InterOcularDistance, 9);
    }

    [Fact]
    public void Measure_IsNull_ForALayoutWithoutEyes()
    {
        var layout = new KeypointLayout("Nose", ["nose_tip"], 96, 96, [], []);

        Assert.Null(layout.EyeCenterKeypoints);
        Assert.Null(FaceFraming.Measure(layout, new float[] { 48, 50 }));
    }

    private static float[] Face(KeypointLayout layout, (float X, float Y) leftEye, (float X, float Y) rightEye)
    {
        float[] row = Enumerable.Repeat(float.NaN, layout.CoordinateCount).ToArray();
        int left = layout.IndexOf("left_eye_center"),
            right = layout.IndexOf("right_eye_center");
        (row[2 * left], row[2 * left + 1]) = leftEye;
        (row[2 * right], row[2 * right + 1]) = rightEye;
        return row;
    }
}
