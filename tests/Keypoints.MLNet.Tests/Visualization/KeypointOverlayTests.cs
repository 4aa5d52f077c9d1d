using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Images;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Visualization;
using SkiaSharp;

namespace Keypoints.MLNet.Tests.Visualization;

public sealed class KeypointOverlayTests
{
    [TierFact(Needs.FaceData)]
    public void LabelPlacer_KeepsEveryNameClearOfTheOthersAndOfThePoints_OnA68PointFace()
    {
        using var folder = new TempFolder();
        float[] keypoints = ImageFiles.FirstRowKeypoints(
            ImageFiles.WriteCsv(folder, "faces.csv", "validation", rows: 1)
        );
        float scale = 24f / KeypointOverlay.PointSpacing(keypoints);
        var points = Enumerable
            .Range(0, 68)
            .Select(k => new SKPoint(keypoints[2 * k] * scale, keypoints[(2 * k) + 1] * scale))
            .ToArray();
        var bounds = SKRect.Create(-200, -200, (160 * scale) + 400, (160 * scale) + 400);
        var placer = new LabelPlacer(bounds, points, pointRadius: 5);
        var names = KeypointLayout.Ibug68.KeypointNames;

        var boxes = points.Select((p, k) => placer.Place(p, new SKSize(7 * names[k].Length, 14), gap: 8).Box).ToArray();

        for (int i = 0; i < boxes.Length; i++)
        {
            for (int j = 0; j < points.Length; j++)
                Assert.False(boxes[i].Contains(points[j]), $"the name of point {i} covers point {j}");
            for (int j = i + 1; j < boxes.Length; j++)
                Assert.False(boxes[i].IntersectsWith(boxes[j]), $"the names of points {i} and {j} overlap");
        }
    }

    [Fact]
    public void PointSpacing_IsTheMedianNearestNeighbourDistance()
    {
        // Nearest neighbours: 1, 1 and 4 (the point at x = 5 is 4 from x = 1); the median of three is the middle one.
        Assert.Equal(1f, KeypointOverlay.PointSpacing([0, 0, 1, 0, 5, 0]));
        Assert.Equal(float.PositiveInfinity, KeypointOverlay.PointSpacing([3, 4]));
    }
}
