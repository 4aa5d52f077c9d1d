using Keypoints.MLNet.Detection;

namespace Keypoints.MLNet.Tests.Detection;

public sealed class WeightedNonMaxSuppressionTests
{
    private static FaceCandidate Box(float score, float centreX, float centreY, float size)
    {
        float[] geometry = new float[FaceCandidate.GeometryLength];
        geometry[0] = centreX;
        geometry[1] = centreY;
        geometry[2] = size;
        geometry[3] = size;
        for (int p = 4; p < geometry.Length; p += 2)
        {
            geometry[p] = centreX;
            geometry[p + 1] = centreY;
        }
        return new FaceCandidate(score, geometry);
    }

    [Fact]
    public void Apply_OverlappingBoxes_BlendsThemByScoreAndKeepsTheBestScore()
    {
        var merged = WeightedNonMaxSuppression.Apply(
            [Box(0.6f, 12, 10, 10), Box(0.9f, 10, 10, 10), Box(0.8f, 100, 100, 20)],
            iouThreshold: 0.3f,
            maxFaces: 10
        );

        Assert.Equal(2, merged.Count);
        Assert.Equal(0.9f, merged[0].Score);
        // (0.9 * 10 + 0.6 * 12) / 1.5 = 10.8; the eye points move with the box.
        Assert.Equal(10.8f, merged[0].Geometry[0], 4);
        Assert.Equal(10.8f, merged[0].Geometry[4], 4);
        Assert.Equal(10f, merged[0].Geometry[1], 4);
        Assert.Equal(0.8f, merged[1].Score);
        Assert.Equal(100f, merged[1].Geometry[0]);
    }

    [Fact]
    public void Apply_BoxesBelowTheOverlapThreshold_StaySeparate()
    {
        // Two 10-pixel boxes 6 pixels apart overlap by 40 / 160 = 0.25 IoU.
        var merged = WeightedNonMaxSuppression.Apply([Box(0.9f, 10, 10, 10), Box(0.8f, 16, 10, 10)], 0.3f, 10);
        Assert.Equal(2, merged.Count);
        Assert.Equal(0.25f, Box(1, 10, 10, 10).IntersectionOverUnion(Box(1, 16, 10, 10)), 5);
    }

    [Fact]
    public void Apply_KeepsAtMostMaxFaces_HighestScoresFirst()
    {
        var merged = WeightedNonMaxSuppression.Apply(
            [Box(0.5f, 0, 0, 5), Box(0.7f, 50, 0, 5), Box(0.6f, 100, 0, 5)],
            0.3f,
            2
        );
        Assert.Equal([0.7f, 0.6f], merged.Select(m => m.Score));
    }
}
