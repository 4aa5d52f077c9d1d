using Keypoints.MLNet.Data;

namespace Keypoints.MLNet.Tests.Data;

/// <summary>Malformed Kaggle files fail with a <see cref="KeypointDataException"/> that names the file, line and
/// column.</summary>
public sealed class FkdCsvErrorTests : IDisposable
{
    private const string Header = "left_eye_x,left_eye_y,nose_x,nose_y,Image\n";
    private const string GoodRow = "1,2,3,4,0 10 20 30\n";
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Load_ReportsLineAndColumn_WhenImageHasTooFewPixels()
    {
        var error = ReadAll(Header + GoodRow + "1,2,3,4,0 10 20\n");

        AssertPlace(error, line: 3, column: 5, "Image");
        Assert.Equal("bad.csv line 3, column 5 (Image): expected 4 grey levels, found 3.", error.Message);
    }

    [Fact]
    public void Load_ReportsLineAndColumn_WhenImageHasTooManyPixels()
    {
        var error = ReadAll(Header + "1,2,3,4,0 10 20 30 40 50\n");

        AssertPlace(error, line: 2, column: 5, "Image");
        Assert.EndsWith("expected 4 grey levels, found 6.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReportsPixel_WhenAGreyLevelIsNotANumber()
    {
        var error = ReadAll(Header + GoodRow + GoodRow + "1,2,3,4,0 1x 20 30\n");

        AssertPlace(error, line: 4, column: 5, "Image");
        Assert.EndsWith("grey level 2 is '1x', not an integer.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 10 256 30", "grey level 3 is '256', outside 0-255.")]
    [InlineData("0 10 20 1000000000000", "grey level 4 is '1000000000000', outside 0-255.")]
    [InlineData("0 -1 20 30", "grey level 2 is '-1', outside 0-255.")]
    public void Load_ReportsPixel_WhenAGreyLevelIsOutOfRange(string image, string problem)
    {
        var error = ReadAll(Header + $"1,2,3,4,{image}\n");

        AssertPlace(error, line: 2, column: 5, "Image");
        Assert.EndsWith(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReportsColumn_WhenAKeypointIsNotANumber()
    {
        var error = ReadAll(Header + GoodRow + "1,2,abc,4,0 10 20 30\n");

        AssertPlace(error, line: 3, column: 3, "nose_x");
        Assert.Contains("'abc' is not a coordinate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RejectsNonFiniteKeypoints()
    {
        var error = ReadAll(Header + "1,NaN,3,4,0 10 20 30\n");

        AssertPlace(error, line: 2, column: 2, "left_eye_y");
    }

    [Fact]
    public void Load_ReportsTheMissingField_WhenARowHasTooFewFields()
    {
        var error = ReadAll(Header + GoodRow + "1,2,3,0 10 20 30\n");

        AssertPlace(error, line: 3, column: 5, "Image");
        Assert.EndsWith("expected 5 fields, found 4.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ReportsTheExtraField_WhenARowHasTooManyFields()
    {
        var error = ReadAll(Header + "1,2,3,4,0 10 20 30,5\n");

        AssertPlace(error, line: 2, column: 6, columnName: null);
        Assert.Equal("bad.csv line 2, column 6: expected 5 fields, found 6.", error.Message);
    }

    [Fact]
    public void Load_CountsPhysicalLines_IncludingBlankOnes()
    {
        var error = ReadAll(Header + GoodRow + "\r\n\r\n" + "1,2,3,4,0 10 20\r\n");

        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void Load_ReportsMalformedQuoting_WithItsLine()
    {
        var error = ReadAll(Header + GoodRow + "1,\"2\"x,3,4,0 10 20 30\n");

        Assert.Equal(3, error.Line);
        Assert.IsType<CsvHelper.CsvFormatException>(error.InnerException);
    }

    [Fact]
    public void Load_Fails_WhenTheImageColumnIsMissing()
    {
        string path = temp.Write("bad.csv", "left_eye_x,left_eye_y\n1,2\n");

        var error = Assert.Throws<KeypointDataException>(() => FkdCsv.LoadTraining(path, 2, 2));

        AssertPlace(error, line: 1, column: null, "Image");
        Assert.StartsWith(
            "bad.csv line 1, column Image: the header has no Image column",
            error.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Load_Fails_WhenTheFileIsEmpty()
    {
        string path = temp.Write("bad.csv", "");

        var error = Assert.Throws<KeypointDataException>(() => FkdCsv.LoadTraining(path, 2, 2));

        AssertPlace(error, line: 1, column: null, columnName: null);
        Assert.Equal("bad.csv line 1: the file is empty; expected a header row.", error.Message);
    }

    [Theory]
    [InlineData("left_eye_x,left_eye_y,nose_y,nose_x,Image", 3, "nose_y")]
    [InlineData("left_eye_x,left_eye_y,nose_x,mouth_y,Image", 3, "nose_x")]
    [InlineData("left_eye_x,left_eye_y,nose_x,Image", 3, "nose_x")]
    public void Load_Fails_WhenKeypointColumnsAreNotXYPairs(string header, int column, string columnName)
    {
        string path = temp.Write("bad.csv", header + "\n");

        var error = Assert.Throws<KeypointDataException>(() => FkdCsv.LoadTraining(path, 2, 2));

        AssertPlace(error, line: 1, column, columnName);
    }

    [Fact]
    public void Load_Fails_WhenAColumnNameRepeats()
    {
        string path = temp.Write("bad.csv", "a_x,a_y,Image,a_x,a_y\n");

        var error = Assert.Throws<KeypointDataException>(() => FkdCsv.LoadTraining(path, 2, 2));

        AssertPlace(error, line: 1, column: 4, "a_x");
    }

    [Fact]
    public void Load_Fails_WhenThereAreNoKeypointColumns()
    {
        string path = temp.Write("bad.csv", "Image\n0 0 0 0\n");

        var error = Assert.Throws<KeypointDataException>(() => FkdCsv.LoadTraining(path, 2, 2));

        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Cursor_Fails_WhenTheHeaderChangedAfterLoad()
    {
        string path = temp.Write("bad.csv", Header + GoodRow);
        var view = FkdCsv.LoadTraining(path, 2, 2);
        File.WriteAllText(path, "nose_x,nose_y,left_eye_x,left_eye_y,Image\n" + GoodRow);

        var error = Assert.Throws<KeypointDataException>(() => view.GetRowCursor(view.Schema));

        Assert.Equal(1, error.Line);
    }

    [Theory]
    [InlineData(Header)]
    [InlineData(Header + "\n\n")]
    public void LoadTraining_NamesTheFile_WhenItHasAHeaderButNoRows(string text)
    {
        string path = temp.Write("bad.csv", text);

        var error = Assert.Throws<KeypointDataException>(() => FkdCsv.LoadTraining(path, 2, 2));

        AssertPlace(error, line: 1, column: null, columnName: null);
        Assert.Equal("bad.csv line 1: the file has a header but no rows.", error.Message);
    }

    [Fact]
    public void LoadTest_NamesTheFile_WhenItHasAHeaderButNoRows()
    {
        string path = temp.Write("bad.csv", "ImageId,Image\n");

        var error = Assert.Throws<KeypointDataException>(() => FkdCsv.LoadTest(path, 2, 2));

        AssertPlace(error, line: 1, column: null, columnName: null);
        Assert.EndsWith("the file has a header but no rows.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadTest_NamesTheFile_WhenItIsEmpty()
    {
        string path = temp.Write("bad.csv", "");

        var error = Assert.Throws<KeypointDataException>(() => FkdCsv.LoadTest(path, 2, 2));

        Assert.Equal("bad.csv line 1: the file is empty; expected a header row.", error.Message);
    }

    private KeypointDataException ReadAll(string text)
    {
        var view = FkdCsv.LoadTraining(temp.Write("bad.csv", text), 2, 2);
        return Assert.Throws<KeypointDataException>(() =>
        {
            FkdRows.Vectors(view, FkdCsv.KeypointsColumnName);
            FkdRows.Vectors(view, FkdCsv.ImageColumnName);
        });
    }

    private void AssertPlace(KeypointDataException error, long line, int? column, string? columnName)
    {
        Assert.Equal(temp.File("bad.csv"), error.FilePath);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
        Assert.Equal(columnName, error.ColumnName);
        Assert.StartsWith($"bad.csv line {line}", error.Message, StringComparison.Ordinal);
    }
}
