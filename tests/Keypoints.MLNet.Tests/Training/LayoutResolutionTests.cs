using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>Trainers, evaluation and data operations decide the layout the same way: explicit, the loader's view, the
/// label column's slot names with the image column's size; otherwise an error that names the column, never a silent
/// Kaggle15.</summary>
public sealed class LayoutResolutionTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static KeypointCnnTrainer.Options Quick() =>
        new()
        {
            Architecture = KeypointArchitecture.Mlp,
            Seed = 11,
            ValidationFraction = 0,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = 1, BatchSize = 32 },
            TimeBudget = { MaxTrainingTime = null },
        };

    /// <summary>Rows built in memory: an image column of <paramref name="imageSize"/> values and 30 coordinates, with
    /// the Kaggle slot names when <paramref name="named"/>.</summary>
    private static IDataView InMemory(MLContext ml, bool named = false, int imageSize = 96 * 96)
    {
        var schema = SchemaDefinition.Create(typeof(Face));
        schema[nameof(Face.Image)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, imageSize);
        if (named)
        {
            var names = KeypointLayout.Kaggle15.CoordinateNames.Select(n => n.AsMemory()).ToArray();
            schema[nameof(Face.Keypoints)]
                .AddAnnotation(
                    "SlotNames",
                    new VBuffer<ReadOnlyMemory<char>>(30, names),
                    new VectorDataViewType(TextDataViewType.Instance, 30)
                );
        }
        var rows = Enumerable
            .Range(0, 4)
            .Select(_ => new Face
            {
                Image = Enumerable.Repeat(128f, imageSize).ToArray(),
                Keypoints = new float[30],
                PredictedKeypoints = new float[30],
            });
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private static IDataView Unnamed(MLContext ml) => InMemory(ml);

    [Fact]
    public void Fit_WithoutLayoutOrSlotNames_FailsNamingTheLabelColumn()
    {
        var ml = new MLContext();
        var error = Assert.Throws<ArgumentException>(() => ml.Keypoints.Trainers.Cnn(Quick()).Fit(Unnamed(ml)));
        Assert.Contains("label column 'Keypoints'", error.Message, StringComparison.Ordinal);
        Assert.Equal("Layout", error.ParamName);
    }

    [Fact]
    public void Fit_WithAnExplicitLayout_TrainsOnRowsWithoutSlotNames()
    {
        var ml = new MLContext();
        var options = Quick();
        options.Layout = KeypointLayout.Kaggle15;
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(Unnamed(ml));
        Assert.Same(KeypointLayout.Kaggle15, model.Layout);
    }

    [Fact]
    public void Fit_WithSlotNamesAndANonSquareImageColumn_FailsNamingTheImageColumn()
    {
        var ml = new MLContext();
        var error = Assert.Throws<ArgumentException>(() =>
            ml.Keypoints.Trainers.Cnn(Quick()).Fit(InMemory(ml, named: true, imageSize: 96 * 97))
        );
        Assert.Contains("image column 'Image'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a square", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WithoutLayoutOrSlotNames_FailsNamingTheLabelColumn()
    {
        var ml = new MLContext();
        var error = Assert.Throws<ArgumentException>(() => ml.Keypoints.Evaluate(Unnamed(ml)));
        Assert.Contains("label column 'Keypoints'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DataOperations_WithoutLayoutOrSlotNames_FailNamingTheLabelColumn()
    {
        var ml = new MLContext();
        var filter = Assert.Throws<ArgumentException>(() => ml.Data.Keypoints.FilterMissing(Unnamed(ml)));
        Assert.Contains("label column 'Keypoints'", filter.Message, StringComparison.Ordinal);
        var flip = Assert.Throws<ArgumentException>(() => ml.Data.Keypoints.AppendFlipped(Unnamed(ml)));
        Assert.Contains("label column 'Keypoints'", flip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AppendFlipped_TakesTheImageSizeFromTheImageColumn_WhenTheRowsHaveSlotNames()
    {
        var ml = new MLContext();
        // 12 x 12 faces: a Kaggle15 at 96 pixels would mirror x about 47.5 instead of 5.5.
        var rows = ml.Data.TakeRows(ml.Data.Keypoints.LoadFkdCsv(WriteKaggleCsv(12), 12, 12), 1);
        float[][] flipped = Scoring.Columns.Vectors(ml.Data.Keypoints.AppendFlipped(rows), "Keypoints");
        int rightEye = KeypointLayout.Kaggle15.IndexOf("right_eye_center");
        Assert.Equal(11 - 2f, flipped[1][2 * rightEye], 3);
    }

    private string WriteKaggleCsv(int size) =>
        folder.Write(
            "faces.csv",
            string.Join(",", KeypointLayout.Kaggle15.CoordinateNames.Append("Image"))
                + "\n"
                + string.Join(",", Enumerable.Repeat("2,3", 15))
                + ","
                + string.Join(" ", Enumerable.Repeat("7", size * size))
                + "\n"
        );

    private sealed class Face
    {
        public float[] Image { get; set; } = [];

        [VectorType(30)]
        public float[] Keypoints { get; set; } = [];

        [VectorType(30)]
        public float[] PredictedKeypoints { get; set; } = [];
    }
}
