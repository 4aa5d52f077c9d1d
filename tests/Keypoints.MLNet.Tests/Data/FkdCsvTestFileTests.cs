using Keypoints.MLNet.Data;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Data;

/// <summary><see cref="FkdCsv.LoadTest"/>: the unlabelled <c>test.csv</c>.</summary>
public sealed class FkdCsvTestFileTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [TierFact(Needs.FaceData)]
    public void LoadTest_ReadsImageIdsAndImagesOfTestCsv()
    {
        var view = FkdCsv.LoadTest(SharedData.Path("fkd", "test.csv"));

        Assert.Equal(NumberDataViewType.Int32, view.Schema[FkdCsv.ImageIdColumnName].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 9216), view.Schema[FkdCsv.ImageColumnName].Type);
        Assert.Equal(2, view.Schema.Count);
        Assert.Equal(Enumerable.Range(1, 627), ImageIds(view));
    }

    [TierFact(Needs.FaceData)]
    public void LoadTest_ImagesAreThoseOfValidationCsv()
    {
        // The data README: test.csv holds the validation images again, in the same order.
        var test = FkdRows.Vectors(FkdCsv.LoadTest(SharedData.Path("fkd", "test.csv")), FkdCsv.ImageColumnName);
        var validation = FkdRows.Vectors(
            FkdCsv.LoadTraining(SharedData.Path("fkd", "validation.csv")),
            FkdCsv.ImageColumnName
        );

        Assert.Equal(validation.Count, test.Count);
        Assert.Equal(validation[0], test[0]);
        Assert.Equal(validation[^1], test[^1]);
    }

    [Fact]
    public void LoadTest_ReportsLineAndColumn_WhenAnImageIdIsNotAnInteger()
    {
        var view = FkdCsv.LoadTest(temp.Write("bad.csv", "ImageId,Image\n1,0 0 0 0\nx2,0 0 0 0\n"), 2, 2);

        var error = Assert.Throws<KeypointDataException>(() => ImageIds(view));

        Assert.Equal(3, error.Line);
        Assert.Equal(1, error.Column);
        Assert.Equal("ImageId", error.ColumnName);
    }

    [Fact]
    public void LoadTest_Fails_WhenImageIdIsMissing()
    {
        string path = temp.Write("bad.csv", "Image\n0 0 0 0\n");

        var error = Assert.Throws<KeypointDataException>(() => FkdCsv.LoadTest(path, 2, 2));

        Assert.Equal("ImageId", error.ColumnName);
    }

    [Fact]
    public void LoadTest_Fails_ForALabelledFile()
    {
        string path = temp.Write("bad.csv", "ImageId,a_x,a_y,Image\n");

        var error = Assert.Throws<KeypointDataException>(() => FkdCsv.LoadTest(path, 2, 2));

        Assert.Equal(2, error.Column);
    }

    private static List<int> ImageIds(IDataView view)
    {
        var column = view.Schema[FkdCsv.ImageIdColumnName];
        var ids = new List<int>();
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<int>(column);
        int id = 0;
        while (cursor.MoveNext())
        {
            getter(ref id);
            ids.Add(id);
        }
        return ids;
    }
}
