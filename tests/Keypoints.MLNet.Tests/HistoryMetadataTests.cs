using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Training;

namespace Keypoints.MLNet.Tests;

/// <summary>The training history's text format in the ONNX metadata: exact round trip and clear errors.</summary>
public sealed class HistoryMetadataTests
{
    private static readonly EpochReport[] History =
    [
        new(1, 0.0912345678901234, double.NaN, 0.01, 1234.5, TimeSpan.FromTicks(12_345_678), IsBest: false),
        new(2, 1e-7 / 3, 3.14159265358979, 0.009, 987.25, TimeSpan.FromMinutes(2.5), IsBest: true),
    ];

    [Fact]
    public void FormatThenParse_GivesIdenticalReports_IncludingNaNAndTicks()
    {
        var text = HistoryMetadata.Format(History);

        Assert.Equal(History, HistoryMetadata.Parse(text));
        Assert.StartsWith(HistoryMetadata.Header + "\n", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split('\n').Length);
    }

    [Fact]
    public void Format_OfAnEmptyHistory_IsTheHeaderAlone_AndParsesToNoReports()
    {
        Assert.Equal(HistoryMetadata.Header, HistoryMetadata.Format([]));
        Assert.Empty(HistoryMetadata.Parse(HistoryMetadata.Header));
    }

    [Theory]
    [InlineData("epoch,loss\n1,2", "header")]
    [InlineData(HistoryMetadata.Header + "\n1,0.1,2,0.01,100,5", "line 2 has 6 fields")]
    [InlineData(HistoryMetadata.Header + "\n1,0.1,2,0.01,100,5,0\n2,0.1,two,0.01,100,5,1", "line 3 has 'two' in column validation_rmse")]
    [InlineData(HistoryMetadata.Header + "\n1,0.1,2,0.01,100,5,yes", "column is_best")]
    public void Parse_SaysWhatIsWrong_WhenTheTextIsMalformed(string text, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => HistoryMetadata.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
