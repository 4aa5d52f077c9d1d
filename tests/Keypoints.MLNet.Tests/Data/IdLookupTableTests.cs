using Keypoints.MLNet.Data;
using Keypoints.MLNet.Tests.Tiers;

namespace Keypoints.MLNet.Tests.Data;

/// <summary><see cref="IdLookupTable"/>: reading <c>IdLookupTable.csv</c>.</summary>
public sealed class IdLookupTableTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [TierFact(Needs.FaceData)]
    public void Load_ReadsTheSharedLookupTable()
    {
        var table = IdLookupTable.Load(SharedData.Path("fkd", "IdLookupTable.csv"));

        Assert.Equal(9152, table.Entries.Count);
        Assert.Equal(new IdLookupEntry(1, 1, "left_eye_center_x"), table.Entries[0]);
        Assert.Equal(Enumerable.Range(1, 9152), table.Entries.Select(e => e.RowId));
        Assert.Equal(627, table.Entries.Select(e => e.ImageId).Distinct().Count());
    }

    [Fact]
    public void Load_AcceptsColumnsInAnyOrder_WithoutLocation()
    {
        var table = IdLookupTable.Load(temp.Write("lookup.csv", "FeatureName,ImageId,RowId\nnose_tip_y,7,3\n"));

        Assert.Equal([new IdLookupEntry(3, 7, "nose_tip_y")], table.Entries);
    }

    [Fact]
    public void Load_ReportsLineAndColumn_WhenAnImageIdIsNotAnInteger()
    {
        string path = temp.Write("bad.csv", "RowId,ImageId,FeatureName,Location\n1,1,nose_tip_x,\n2,one,nose_tip_y,\n");

        var error = Assert.Throws<KeypointDataException>(() => IdLookupTable.Load(path));

        Assert.Equal(3, error.Line);
        Assert.Equal(2, error.Column);
        Assert.Equal("ImageId", error.ColumnName);
        Assert.StartsWith(
            "bad.csv line 3, column 2 (ImageId): 'one' is not an integer.",
            error.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void Load_ReportsLine_WhenARowHasTheWrongNumberOfFields()
    {
        string path = temp.Write("bad.csv", "RowId,ImageId,FeatureName,Location\n1,1,nose_tip_x\n");

        var error = Assert.Throws<KeypointDataException>(() => IdLookupTable.Load(path));

        Assert.Equal(2, error.Line);
        Assert.Equal(4, error.Column);
    }

    [Fact]
    public void Load_ReportsBothLines_WhenARowIdRepeats()
    {
        string path = temp.Write("bad.csv", "RowId,ImageId,FeatureName\n1,1,nose_tip_x\n1,1,nose_tip_y\n");

        var error = Assert.Throws<KeypointDataException>(() => IdLookupTable.Load(path));

        Assert.Equal(3, error.Line);
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Fails_WhenFeatureNameIsEmptyOrMissing()
    {
        string empty = temp.Write("empty.csv", "RowId,ImageId,FeatureName\n1,1,\n");
        string missing = temp.Write("missing.csv", "RowId,ImageId\n1,1\n");

        Assert.Equal(3, Assert.Throws<KeypointDataException>(() => IdLookupTable.Load(empty)).Column);
        Assert.Equal("FeatureName", Assert.Throws<KeypointDataException>(() => IdLookupTable.Load(missing)).ColumnName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("RowId,ImageId,FeatureName,Location\n")]
    public void Load_NamesTheFile_WhenItIsEmptyOrHasOnlyAHeader(string text)
    {
        string path = temp.Write("lookup.csv", text);

        var error = Assert.Throws<KeypointDataException>(() => IdLookupTable.Load(path));

        Assert.Equal(path, error.FilePath);
        Assert.StartsWith("lookup.csv line 1: the file ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RejectsRepeatedRowIds()
    {
        Assert.Throws<ArgumentException>(() => new IdLookupTable([new(1, 1, "a_x"), new(1, 2, "a_y")]));
    }
}
