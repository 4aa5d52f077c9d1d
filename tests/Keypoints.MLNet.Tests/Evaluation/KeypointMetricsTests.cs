using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Evaluation;

/// <summary>Metrics computed by hand on tiny scored tables.</summary>
public sealed class KeypointMetricsTests
{
    private static readonly KeypointLayout Eyes = new(
        "eyes",
        ["left_eye_center", "right_eye_center"],
        96,
        96,
        [(0, 1)],
        []
    );

    private sealed class Row
    {
        public float[] Keypoints { get; set; } = [];

        public float[] PredictedKeypoints { get; set; } = [];
    }

    private static IDataView Table(MLContext ml, params (float[] Truth, float[] Predicted)[] rows)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        var type = new VectorDataViewType(NumberDataViewType.Single, rows[0].Truth.Length);
        schema[nameof(Row.Keypoints)].ColumnType = type;
        schema[nameof(Row.PredictedKeypoints)].ColumnType = type;
        return ml.Data.LoadFromEnumerable(
            rows.Select(r => new Row { Keypoints = r.Truth, PredictedKeypoints = r.Predicted }),
            schema
        );
    }

    [Fact]
    public void Rmse_IsTakenOverPresentCoordinatesOnly()
    {
        var ml = new MLContext();
        var data = Table(
            ml,
            ([60, 40, 20, 40], [63, 44, 20, 40]), // errors 3, 4, 0, 0
            ([60, float.NaN, 20, 40], [60, 1000, 22, 40])
        ); // the missing y is ignored; error 2
        var metrics = ml.Keypoints.Evaluate(data, Eyes);
        Assert.Equal(Math.Sqrt((9 + 16 + 4) / 7.0), metrics.Rmse, 10);
        Assert.Equal(7, metrics.PresentCoordinates);
        Assert.Equal(2, metrics.Rows);
    }

    [Fact]
    public void PerKeypointErrors_AndNme_FollowTheirDefinitions()
    {
        var ml = new MLContext();
        var data = Table(
            ml,
            ([60, 40, 20, 40], [63, 44, 20, 40]), // left eye off by 5 px, inter-ocular distance 40
            ([50, 40, 30, 40], [50, 40, 30, 40])
        ); // perfect, inter-ocular distance 20
        var metrics = ml.Keypoints.Evaluate(data, Eyes);
        var left = metrics.PerKeypoint[0];
        Assert.Equal(Math.Sqrt(25 / 4.0), left.Rmse, 10);
        Assert.Equal(2.5, left.MeanDistance, 10);
        Assert.Equal(2, left.Count);
        Assert.Equal(0, metrics.PerKeypoint[1].Rmse);
        Assert.Equal(((5 / 2.0) / 40 + 0) / 2, metrics.Nme, 10);
        Assert.Equal(1, metrics.Best[0].RowIndex);
        Assert.Equal(0, metrics.Worst[0].RowIndex);
    }

    [Fact]
    public void Nme_IsDividedByTheFaceBoxDiagonal_WhenTheLayoutHasNoEyes()
    {
        var ml = new MLContext();
        var nose = new KeypointLayout("nose", ["nose_tip", "chin"], 96, 96, [], []);
        var metrics = ml.Keypoints.Evaluate(Table(ml, ([1, 2, 3, 4], [1, 2, 3, 5])), nose);
        Assert.Equal(0.5 / Math.Sqrt(8), metrics.Nme, 10);
        Assert.Contains("box", metrics.NmeNormalization, StringComparison.Ordinal);
        Assert.Equal(0.5, metrics.Rmse, 10);
    }

    [Fact]
    public void Nme_IsNaN_ForASingleKeypointLayout()
    {
        var ml = new MLContext();
        var nose = new KeypointLayout("nose", ["nose_tip"], 96, 96, [], []);
        var metrics = ml.Keypoints.Evaluate(Table(ml, ([1, 2], [1, 3])), nose);
        Assert.True(double.IsNaN(metrics.Nme));
        Assert.Contains("undefined", metrics.NmeNormalization, StringComparison.Ordinal);
    }

    [Fact]
    public void Nme_UsesTheMeansOfTheEyeContours_WhenTheLayoutHasNoEyeCenterPoints()
    {
        var ml = new MLContext();
        var eyes = new KeypointLayout(
            "contours",
            ["right_eye_36", "right_eye_39", "left_eye_42", "left_eye_45"],
            96,
            96,
            [],
            []
        );
        // Eye centers at x = 10 and x = 50: inter-ocular distance 40; mean point error (4 + 0 + 0 + 0) / 4 = 1.
        var metrics = ml.Keypoints.Evaluate(
            Table(ml, ([5, 0, 15, 0, 45, 0, 55, 0], [5, 4, 15, 0, 45, 0, 55, 0])),
            eyes
        );
        Assert.Equal(1.0 / 40, metrics.Nme, 10);
        Assert.Contains("eye centers", metrics.NmeNormalization, StringComparison.Ordinal);
        // Outer corners right_eye_36 (x 5) and left_eye_45 (x 55): 50 apart.
        Assert.Equal(1.0 / 50, metrics.NmeOuterEyeCorners, 10);
    }

    [Fact]
    public void NmeOuterEyeCorners_IsDividedByTheOuterCornersDistance_OrNaNWithoutOuterCorners()
    {
        var ml = new MLContext();
        var kaggle = new KeypointLayout(
            "corners",
            ["left_eye_center", "right_eye_center", "left_eye_outer_corner", "right_eye_outer_corner"],
            96,
            96,
            [],
            []
        );
        // Eye centers 40 apart, outer corners 60 apart; mean point error (6 + 0 + 0 + 0) / 4 = 1.5.
        var metrics = ml.Keypoints.Evaluate(
            Table(ml, ([60, 40, 20, 40, 70, 40, 10, 40], [60, 46, 20, 40, 70, 40, 10, 40])),
            kaggle
        );

        Assert.Equal((1.5 / 40, 1.5 / 60), (metrics.Nme, metrics.NmeOuterEyeCorners));
        Assert.True(
            double.IsNaN(
                ml.Keypoints.Evaluate(Table(ml, ([60, 40, 20, 40], [63, 44, 20, 40])), Eyes).NmeOuterEyeCorners
            )
        );
    }

    [Fact]
    public void Evaluate_NamesAMissingScoreColumn()
    {
        var ml = new MLContext();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Keypoints.Evaluate(Table(ml, ([1, 2, 3, 4], [1, 2, 3, 4])), Eyes, predictedColumnName: "Score")
        );
        Assert.Contains("'Score' was not found", error.Message, StringComparison.Ordinal);
    }
}
