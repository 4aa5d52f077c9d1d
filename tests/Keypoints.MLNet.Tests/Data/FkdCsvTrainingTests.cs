using System.Globalization;
using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Data;

/// <summary><see cref="FkdCsv.LoadTraining"/>: schema, layout, values and streaming behaviour, on small files and on
/// the shared data.</summary>
public sealed class FkdCsvTrainingTests : IDisposable
{
    private const string SmallHeader = "left_eye_x,left_eye_y,nose_x,nose_y,Image\n";
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [TierFact(Needs.FaceData)]
    public void LoadTraining_ReadsAllRowsOfTrainingCsv_WithNaNForMissingLabels()
    {
        var view = FkdCsv.LoadTraining(SharedData.Path("fkd", "training.csv"));

        var keypoints = FkdRows.Vectors(view, FkdCsv.KeypointsColumnName);

        Assert.Equal(2946, keypoints.Count);
        Assert.All(keypoints, k => Assert.Equal(30, k.Length));
        // The data README: 898 of 2946 rows carry all 30 coordinates, the others have blanks.
        Assert.Equal(898, keypoints.Count(k => !k.Any(float.IsNaN)));
        Assert.All(keypoints, k => Assert.All(k.Where(v => !float.IsNaN(v)), v => Assert.InRange(v, 0f, 96f)));
    }

    [TierFact(Needs.FaceData)]
    public void LoadTraining_ReadsAllRowsOfValidationCsv_WithNoMissingLabels()
    {
        var view = FkdCsv.LoadTraining(SharedData.Path("fkd", "validation.csv"));

        var keypoints = FkdRows.Vectors(view, FkdCsv.KeypointsColumnName);

        Assert.Equal(627, keypoints.Count);
        Assert.All(keypoints, k => Assert.DoesNotContain(k, float.IsNaN));
    }

    [TierFact(Needs.FaceData)]
    public void LoadTraining_FirstRowMatchesTheFileText()
    {
        string path = SharedData.Path("fkd", "training.csv");
        string[] fields = File.ReadLines(path).Skip(1).First().Split(',');
        float[] expectedKeypoints = fields[..30]
            .Select(f => f.Length == 0 ? float.NaN : float.Parse(f, CultureInfo.InvariantCulture))
            .ToArray();
        float[] expectedImage = fields[30]
            .Split(' ')
            .Select(p => float.Parse(p, CultureInfo.InvariantCulture))
            .ToArray();
        var view = FkdCsv.LoadTraining(path);

        using var cursor = view.GetRowCursor(view.Schema);
        Assert.True(cursor.MoveNext());
        VBuffer<float> keypoints = default,
            image = default;
        cursor.GetGetter<VBuffer<float>>(view.Schema[FkdCsv.KeypointsColumnName])(ref keypoints);
        cursor.GetGetter<VBuffer<float>>(view.Schema[FkdCsv.ImageColumnName])(ref image);

        Assert.Equal(expectedKeypoints, keypoints.DenseValues().ToArray());
        Assert.Equal(9216, image.Length);
        Assert.Equal(expectedImage, image.DenseValues().ToArray());
    }

    [TierFact(Needs.FaceData)]
    public void LoadTraining_ReadsEveryImageOfValidationCsv_AsGreyLevels()
    {
        var view = FkdCsv.LoadTraining(SharedData.Path("fkd", "validation.csv"));

        var images = FkdRows.Vectors(view, FkdCsv.ImageColumnName);

        Assert.Equal(627, images.Count);
        Assert.All(images, i => Assert.Equal(9216, i.Length));
        Assert.All(images, i => Assert.True(i.Min() >= 0f && i.Max() <= 255f));
    }

    [TierFact(Needs.FaceData)]
    public void LoadTraining_DescribesTheCompetitionHeader_AsKaggle15()
    {
        var view = FkdCsv.LoadTraining(SharedData.Path("fkd", "training.csv"));

        Assert.Same(KeypointLayout.Kaggle15, view.Layout);
        Assert.Equal(Path.GetFullPath(SharedData.Path("fkd", "training.csv")), view.Path);
    }

    [TierFact(Needs.FaceData)]
    public void LoadTraining_Schema_HasImageAndKeypointsVectors_WithSlotNames()
    {
        var view = FkdCsv.LoadTraining(SharedData.Path("fkd", "training.csv"));

        Assert.Equal(2, view.Schema.Count);
        Assert.Equal(
            new VectorDataViewType(NumberDataViewType.Single, 96 * 96),
            view.Schema[FkdCsv.ImageColumnName].Type
        );
        var keypoints = view.Schema[FkdCsv.KeypointsColumnName];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 30), keypoints.Type);
        Assert.True(keypoints.HasSlotNames());
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        keypoints.GetSlotNames(ref slotNames);
        Assert.Equal(KeypointLayout.Kaggle15.CoordinateNames, slotNames.DenseValues().Select(n => n.ToString()));
    }

    [TierFact(Needs.FaceData)]
    public void LoadTraining_IsStreaming_WithNoRowCountAndNoShuffling()
    {
        var view = FkdCsv.LoadTraining(SharedData.Path("fkd", "validation.csv"));

        Assert.Null(view.GetRowCount());
        Assert.False(view.CanShuffle);
        Assert.Single(view.GetRowCursorSet(view.Schema, 4));
    }

    [Fact]
    public void LoadTraining_TakesKeypointColumnsInHeaderOrder_WithImageAnywhere()
    {
        string path = temp.Write("small.csv", "nose_x,nose_y,Image,left_eye_x,left_eye_y\n1.5,2,0 1 2 255,,4e1\n");

        var view = FkdCsv.LoadTraining(path, 2, 2);

        Assert.Equal(["nose", "left_eye"], view.Layout.KeypointNames);
        Assert.Equal(2, view.Layout.ImageWidth);
        float[] keypoints = Assert.Single(FkdRows.Vectors(view, FkdCsv.KeypointsColumnName));
        Assert.Equal([1.5f, 2f, float.NaN, 40f], keypoints);
        Assert.Equal([0f, 1f, 2f, 255f], Assert.Single(FkdRows.Vectors(view, FkdCsv.ImageColumnName)));
    }

    [Fact]
    public void LoadTraining_ReadsRowsLazily_SoABadRowFailsOnlyWhenReached()
    {
        string path = temp.Write("bad.csv", SmallHeader + "1,2,3,4,0 0 0 0\n1,2,3,4,0 0 0\n");
        var view = FkdCsv.LoadTraining(path, 2, 2);
        var image = view.Schema[FkdCsv.ImageColumnName];

        using var cursor = view.GetRowCursor([image]);
        var getter = cursor.GetGetter<VBuffer<float>>(image);
        VBuffer<float> value = default;
        Assert.True(cursor.MoveNext());
        getter(ref value);
        Assert.True(cursor.MoveNext());
        Assert.Throws<KeypointDataException>(() => getter(ref value));
    }

    [Fact]
    public void Cursor_DoesNotParseInactiveImage()
    {
        // The image is malformed, but a pass over the labels never looks at it.
        string path = temp.Write("labels.csv", SmallHeader + "1,2,3,4,not pixels\n");
        var view = FkdCsv.LoadTraining(path, 2, 2);

        Assert.Equal([1f, 2f, 3f, 4f], Assert.Single(FkdRows.Vectors(view, FkdCsv.KeypointsColumnName)));
    }

    [Fact]
    public void Cursor_ReportsActiveColumns_AndRefusesGettersOfInactiveOnes()
    {
        var view = FkdCsv.LoadTraining(temp.Write("small.csv", SmallHeader + "1,2,3,4,0 0 0 0\n"), 2, 2);
        var image = view.Schema[FkdCsv.ImageColumnName];
        var keypoints = view.Schema[FkdCsv.KeypointsColumnName];

        using var cursor = view.GetRowCursor([keypoints]);

        Assert.True(cursor.IsColumnActive(keypoints));
        Assert.False(cursor.IsColumnActive(image));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(image));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<float>(keypoints));
    }

    [Fact]
    public void Cursor_NumbersRows_AndEndsWithNoPosition()
    {
        var view = FkdCsv.LoadTraining(
            temp.Write("small.csv", SmallHeader + "1,2,3,4,0 0 0 0\n5,6,7,8,1 1 1 1\n"),
            2,
            2
        );
        using var cursor = view.GetRowCursor([]);
        var id = cursor.GetIdGetter();
        DataViewRowId value = default;

        Assert.Equal(-1, cursor.Position);
        Assert.True(cursor.MoveNext());
        id(ref value);
        Assert.Equal(new DataViewRowId(0, 0), value);
        Assert.True(cursor.MoveNext());
        id(ref value);
        Assert.Equal(1, cursor.Position);
        Assert.Equal(new DataViewRowId(1, 0), value);
        Assert.False(cursor.MoveNext());
        Assert.Equal(-1, cursor.Position);
        Assert.False(cursor.MoveNext());
    }

    [Fact]
    public void Cursor_ReusesTheCallersBuffer()
    {
        var view = FkdCsv.LoadTraining(
            temp.Write("small.csv", SmallHeader + "1,2,3,4,0 0 0 0\n5,6,7,8,1 1 1 1\n"),
            2,
            2
        );
        var image = view.Schema[FkdCsv.ImageColumnName];
        using var cursor = view.GetRowCursor([image]);
        var getter = cursor.GetGetter<VBuffer<float>>(image);
        float[] array = new float[4];
        var value = new VBuffer<float>(4, array);

        cursor.MoveNext();
        getter(ref value);
        Assert.Equal([0f, 0f, 0f, 0f], array);
        cursor.MoveNext();
        getter(ref value);
        Assert.Equal([1f, 1f, 1f, 1f], array);
    }

    [Fact]
    public void LoadTraining_WorksWithMLContextDataOperations()
    {
        var ml = new MLContext(seed: 1);
        var view = FkdCsv.LoadTraining(
            temp.Write("small.csv", SmallHeader + "1,2,3,4,0 0 0 0\n5,,7,8,9 8 7 6\n"),
            2,
            2
        );

        var rows = ml.Data.CreateEnumerable<SmallRow>(ml.Data.Cache(view), reuseRowObject: false).ToArray();

        Assert.Equal(2, rows.Length);
        Assert.Equal([5f, float.NaN, 7f, 8f], rows[1].Keypoints);
        Assert.Equal([9f, 8f, 7f, 6f], rows[1].Image);
    }

    /// <summary>A row of the small test files, as ML.NET maps it.</summary>
    public sealed class SmallRow
    {
        /// <summary>Grey levels of a 2 x 2 image.</summary>
        [VectorType(4)]
        public float[] Image { get; set; } = [];

        /// <summary>Two keypoints.</summary>
        [VectorType(4)]
        public float[] Keypoints { get; set; } = [];
    }
}
