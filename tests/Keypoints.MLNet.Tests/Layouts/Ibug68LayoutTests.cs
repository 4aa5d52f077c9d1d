using System.Globalization;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Tiers;

namespace Keypoints.MLNet.Tests.Layouts;

public sealed class Ibug68LayoutTests
{
    private static readonly KeypointLayout Layout = KeypointLayout.Ibug68;

    [Fact]
    public void FlipPermutation_IsAnInvolution_WithTheMidlinePointsFixed()
    {
        var permutation = Layout.FlipPermutation;
        Assert.Equal(68, permutation.Count);
        for (int i = 0; i < 68; i++)
            Assert.Equal(i, permutation[permutation[i]]);
        Assert.Equal([8, 27, 28, 29, 30, 33, 51, 57, 62, 66], Enumerable.Range(0, 68).Where(i => permutation[i] == i));
        Assert.Equal(45, permutation[36]);
        Assert.Equal(46, permutation[41]);
        Assert.Equal(54, permutation[48]);
    }

    [TierFact(Needs.FaceData)]
    public void MirroredMeanShape_LandsOnTheMeanShape_OfTheRealTrainingSet()
    {
        double[][] rows = File.ReadLines(SharedData.Path("landmarks68", "train.csv"))
            .Skip(1)
            .Select(l => l.Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        double[] mean = Enumerable.Range(0, 136).Select(c => rows.Average(r => r[c])).ToArray();
        // Mirror about the mean face's own vertical axis: the average chin sits 2 px right of the image center.
        double axis = 2 * Enumerable.Range(0, 68).Average(k => mean[2 * k]);
        double worst = 0;
        for (int k = 0; k < 68; k++)
        {
            // Keypoint k of the mirrored face is keypoint FlipPermutation[k] of the original, with x mirrored.
            int m = Layout.FlipPermutation[k];
            double x = axis - mean[2 * m],
                y = mean[2 * m + 1];
            int nearest = Enumerable.Range(0, 68).MinBy(j => Square(mean[2 * j] - x) + Square(mean[2 * j + 1] - y));
            Assert.True(nearest == k, $"Mirrored keypoint {k} lands nearest to mean keypoint {nearest}.");
            worst = Math.Max(worst, Math.Sqrt(Square(mean[2 * k] - x) + Square(mean[2 * k + 1] - y)));
        }
        Assert.True(worst < 4.0, $"The mirrored mean shape is up to {worst:F2} px from the mean shape.");
    }

    private static double Square(double v) => v * v;

    [Fact]
    public void Groups_CoverEveryKeypointOnce()
    {
        Assert.Equal(["jaw", "eyebrows", "nose", "eyes", "mouth"], Layout.Groups.Select(g => g.Name));
        Assert.Equal(Enumerable.Range(0, 68), Layout.Groups.SelectMany(g => g.KeypointIndices).Order());
        Assert.All(Layout.Groups, g => Assert.True(Layout.IsMirrorClosed(g), g.Name));
    }

    [Fact]
    public void FromCoordinateColumns_Gives_Ibug68_ForSixtyEightNumberedPairs()
    {
        string[] columns = Enumerable.Range(0, 68).SelectMany(i => new[] { $"x{i}", $"y{i}" }).ToArray();
        var layout = KeypointLayout.FromCoordinateColumns("train", columns, 200, 180);
        Assert.Equal("Ibug68", layout.Name);
        Assert.Equal((200, 180), (layout.ImageWidth, layout.ImageHeight));
        Assert.Equal(Layout.FlipPermutation, layout.FlipPermutation);
    }

    [Fact]
    public void FromCoordinateColumns_NumbersTheKeypoints_ForOtherNumberedPairs()
    {
        var layout = KeypointLayout.FromCoordinateColumns("one", ["x0", "y0"], 160, 160);
        Assert.Equal(["0"], layout.KeypointNames);
        Assert.Empty(layout.FlipPairs);
    }
}
