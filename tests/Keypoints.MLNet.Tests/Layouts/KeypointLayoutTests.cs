using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Tests.Layouts;

public sealed class KeypointLayoutTests
{
    private static string Name(int index) => KeypointLayout.Kaggle15.KeypointNames[index];

    [Fact]
    public void Kaggle15_PairsEveryLeftKeypointWithItsRightTwin()
    {
        var layout = KeypointLayout.Kaggle15;
        Assert.Equal(15, layout.KeypointCount);
        Assert.Equal(6, layout.FlipPairs.Count);
        foreach (var (left, right) in layout.FlipPairs)
            Assert.Equal(Name(left).Replace("left", "right", StringComparison.Ordinal), Name(right));
        Assert.Equal(layout.IndexOf("nose_tip"), layout.FlipPermutation[layout.IndexOf("nose_tip")]);
        Assert.Equal(layout.IndexOf("mouth_right_corner"), layout.FlipPermutation[layout.IndexOf("mouth_left_corner")]);
    }

    [Fact]
    public void Kaggle15_HasNourisSixSpecialistGroups_CoveringEveryKeypointOnce()
    {
        var groups = KeypointLayout.Kaggle15.Groups;
        Assert.Equal(
            ["eye_centers", "nose_tip", "mouth_corners_top_lip", "bottom_lip", "eye_corners", "eyebrows"],
            groups.Select(g => g.Name)
        );
        Assert.Equal(Enumerable.Range(0, 15), groups.SelectMany(g => g.KeypointIndices).Order());
        Assert.Equal(
            ["mouth_left_corner", "mouth_right_corner", "mouth_center_top_lip"],
            groups[2].KeypointIndices.Select(Name)
        );
    }

    [Fact]
    public void FromCoordinateColumns_FindsFlipPairsByName()
    {
        var layout = KeypointLayout.FromCoordinateColumns(
            "custom",
            ["left_eye_x", "left_eye_y", "nose_x", "nose_y", "right_eye_x", "right_eye_y"],
            64,
            48
        );
        Assert.Equal(["left_eye", "nose", "right_eye"], layout.KeypointNames);
        Assert.Equal([(0, 2)], layout.FlipPairs);
        Assert.Equal((64, 48), (layout.ImageWidth, layout.ImageHeight));
    }

    [Fact]
    public void FromCoordinateColumns_ReturnsTheBuiltInLayout_ForTheCompetitionColumns() =>
        Assert.Same(
            KeypointLayout.Kaggle15,
            KeypointLayout.FromCoordinateColumns("x", KeypointLayout.Kaggle15.CoordinateNames, 96, 96)
        );

    [Fact]
    public void FromCoordinateColumns_NamesTheColumnsThatAreNotAPair()
    {
        var error = Assert.Throws<FormatException>(() =>
            KeypointLayout.FromCoordinateColumns("bad", ["a_x", "b_y"], 96, 96)
        );
        Assert.Contains("'a_x', 'b_y'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RejectsDuplicateNamesAndOverlappingPairs()
    {
        Assert.Throws<ArgumentException>(() => new KeypointLayout("d", ["a", "a"], 9, 9, [], []));
        Assert.Throws<ArgumentException>(() => new KeypointLayout("o", ["a", "b", "c"], 9, 9, [(0, 1), (1, 2)], []));
        Assert.Throws<ArgumentException>(() => KeypointLayout.Kaggle15.IndexOf("chin"));
    }
}
