using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Training;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary>The model's metadata record: one JSON value with a format version, read back exactly.</summary>
public sealed class KeypointModelMetadataTests
{
    private static readonly KeypointModelMetadata Record = new()
    {
        Layout = KeypointLayout.Kaggle15,
        InputColumnName = "Image",
        OutputColumnName = "PredictedKeypoints",
        Channels = 1,
        PixelOffset = 0,
        PixelScale = 1f / 255f,
        Framing = new FaceFraming(0.5, 0.01, 0.4, 0.02, 0.38, 0.03, 100),
        TestTimeFlip = true,
        FlipAxisOffset = 1.4,
        Networks = ["base"],
        History =
        [
            new EpochReport(1, 0.01, double.NaN, 1e-3, 812.5, TimeSpan.FromTicks(123_456_789), IsBest: false),
            new EpochReport(2, 0.005, 2.25, 9.8e-4, 820.25, TimeSpan.FromTicks(246_913_578), IsBest: true),
        ],
        SpecialistHistories = new Dictionary<string, IReadOnlyList<EpochReport>>
        {
            ["mouth"] =
            [
                new EpochReport(1, 0.002, 1.5, 9.8e-4, 900, TimeSpan.FromSeconds(3), IsBest: true)
                {
                    Specialist = "mouth",
                },
            ],
        },
    };

    [Fact]
    public void ToJson_ThenFromJson_GivesTheSameRecord()
    {
        string json = Record.ToJson();
        var read = KeypointModelMetadata.FromJson(json);

        Assert.Equal(json, read.ToJson());
        Assert.Equal(Record.History, read.History);
        Assert.Equal(Record.SpecialistHistories["mouth"], read.SpecialistHistories["mouth"]);
        Assert.Equal(Record.Layout.KeypointNames, read.Layout.KeypointNames);
        Assert.Equal(Record.Layout.FlipPairs, read.Layout.FlipPairs);
        Assert.Equal(
            Record.Layout.Groups.Select(g => (g.Name, string.Join(",", g.KeypointIndices))),
            read.Layout.Groups.Select(g => (g.Name, string.Join(",", g.KeypointIndices)))
        );
        Assert.Equal(Record.Framing, read.Framing);
        Assert.StartsWith("{\"formatVersion\":1,", json, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_RefusesANewerFormat_NamingBothVersions()
    {
        string json = Record.ToJson().Replace("\"formatVersion\":1", "\"formatVersion\":7", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => KeypointModelMetadata.FromJson(json));

        Assert.Contains("formatVersion 7", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"formatVersion\":1}")]
    public void FromJson_RefusesARecordThatIsNotOne(string json)
    {
        var error = Assert.Throws<InvalidDataException>(() => KeypointModelMetadata.FromJson(json));

        Assert.Contains(KeypointModelMetadata.Key, error.Message, StringComparison.Ordinal);
    }
}
