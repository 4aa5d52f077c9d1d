using Keypoints.MLNet.Data;

namespace Keypoints.MLNet.Tests.Data;

/// <summary><see cref="KeypointDataException"/>: the message says where the problem is.</summary>
public sealed class KeypointDataExceptionTests
{
    [Theory]
    [InlineData(31, "Image", "training.csv line 12, column 31 (Image): expected 9216 grey levels, found 9215.")]
    [InlineData(32, null, "training.csv line 12, column 32: expected 9216 grey levels, found 9215.")]
    [InlineData(null, "Image", "training.csv line 12, column Image: expected 9216 grey levels, found 9215.")]
    [InlineData(null, null, "training.csv line 12: expected 9216 grey levels, found 9215.")]
    public void Message_NamesFileLineAndColumn(int? column, string? columnName, string expected)
    {
        var error = new KeypointDataException(
            "/data/fkd/training.csv",
            12,
            column,
            columnName,
            "expected 9216 grey levels, found 9215."
        );

        Assert.Equal(expected, error.Message);
        Assert.Equal("/data/fkd/training.csv", error.FilePath);
        Assert.Equal(12, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Equal(columnName, error.ColumnName);
        Assert.IsAssignableFrom<FormatException>(error);
    }
}
