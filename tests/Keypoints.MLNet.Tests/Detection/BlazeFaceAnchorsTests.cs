using Keypoints.MLNet.Detection;

namespace Keypoints.MLNet.Tests.Detection;

public sealed class BlazeFaceAnchorsTests
{
    [Fact]
    public void Anchors_Are896_On16x16With2And8x8With6()
    {
        Assert.Equal(896, BlazeFaceAnchors.Count);
        Assert.Equal([(16, 2), (8, 6)], BlazeFaceAnchors.FeatureMaps);
    }

    [Fact]
    public void Anchors_FirstAndLastCentres_AreCellCentresOfEachMap()
    {
        float[] c = BlazeFaceAnchors.Centres;
        // Both anchors of the first 16x16 cell sit at its centre, half a cell (1/32) from the corner.
        Assert.Equal(1f / 32, c[0], 6);
        Assert.Equal(1f / 32, c[1], 6);
        Assert.Equal(1f / 32, c[2], 6);
        // Anchor 2 is the second cell of the first row.
        Assert.Equal(3f / 32, c[4], 6);
        Assert.Equal(1f / 32, c[5], 6);
        // The last 16x16 anchor (511) and the first 8x8 anchor (512).
        Assert.Equal(31f / 32, c[(2 * 511)], 6);
        Assert.Equal(31f / 32, c[(2 * 511) + 1], 6);
        Assert.Equal(1f / 16, c[2 * 512], 6);
        Assert.Equal(1f / 16, c[(2 * 512) + 1], 6);
        // The last anchor (895) is in the bottom-right 8x8 cell.
        Assert.Equal(15f / 16, c[2 * 895], 6);
        Assert.Equal(15f / 16, c[(2 * 895) + 1], 6);
        Assert.Equal(15f / 16, c[2 * 890], 6);
    }
}
