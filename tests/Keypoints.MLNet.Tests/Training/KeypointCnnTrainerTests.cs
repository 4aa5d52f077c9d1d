using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>Training options do what they say, on small slices of the real faces.</summary>
[Collection(GlobalRandomGenerator.Name)]
public sealed class KeypointCnnTrainerTests
{
    private static KeypointCnnTrainer.Options Quick(int epochs = 1) =>
        new()
        {
            Architecture = KeypointArchitecture.Mlp,
            Seed = 11,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = epochs, BatchSize = 32 },
            TimeBudget = { MaxTrainingTime = null },
        };

    [TierFact(Needs.FaceData)]
    public void Fit_WithTheSameSeed_GivesIdenticalPredictions()
    {
        var ml = new MLContext();
        var data = SmallFaces.Training(ml, 128);
        var options = Quick(2);
        options.Architecture = KeypointArchitecture.ConvNet3;
        using var first = ml.Keypoints.Trainers.Cnn(options).Fit(data);
        using var second = ml.Keypoints.Trainers.Cnn(options).Fit(data);
        float[][] a = Columns.Vectors(first.Transform(data), "PredictedKeypoints");
        float[][] b = Columns.Vectors(second.Transform(data), "PredictedKeypoints");
        Assert.Equal(a, b);
        Assert.Equal(first.History.Select(h => h.TrainLoss), second.History.Select(h => h.TrainLoss));
    }

    [TierFact(Needs.FaceData)]
    public void Fit_ReportsEveryEpoch_ThroughProgressAndHistory()
    {
        var ml = new MLContext();
        var reports = new List<EpochReport>();
        var options = Quick(3);
        options.Progress = new SynchronousProgress<EpochReport>(reports.Add);
        options.ValidationData = SmallFaces.Validation(ml, 32);
        options.Schedule.EarlyStoppingPatience = 0;
        var logged = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Source.Contains(nameof(KeypointCnnTrainer), StringComparison.Ordinal))
                logged.Add(e.RawMessage);
        };
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(SmallFaces.Training(ml, 96));
        Assert.Equal([1, 2, 3], reports.Select(r => r.Epoch));
        Assert.Equal(reports, model.History);
        Assert.All(reports, r => Assert.True(r.ValidationRmse is > 0 and < 96, $"validation RMSE {r.ValidationRmse}"));
        Assert.All(reports, r => Assert.True(r.ImagesPerSecond > 0));
        Assert.Contains(logged, m => m.StartsWith("epoch 3:", StringComparison.Ordinal));
    }

    [TierFact(Needs.FaceData)]
    public void Fit_StopsEarly_WhenValidationStopsImproving_AndKeepsTheBestEpoch()
    {
        var ml = new MLContext();
        var options = Quick(40);
        options.Schedule.LearningRate = 0.5; // diverges at once, so the first epoch stays the best
        options.Schedule.EarlyStoppingPatience = 2;
        options.ValidationData = SmallFaces.Validation(ml, 32);
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(SmallFaces.Training(ml, 64));
        Assert.True(model.History.Count < 40, $"ran {model.History.Count} epochs");
        var best = model.History.MinBy(h => h.ValidationRmse)!;
        Assert.Equal(model.History.Count - 2, best.Epoch);
        var metrics = ml.Keypoints.Evaluate(model.Transform(options.ValidationData));
        Assert.Equal(best.ValidationRmse, metrics.Rmse, 3);
    }

    [TierFact(Needs.FaceData)]
    public void Fit_WithTestTimeFlip_ChoosesTheEpochOnThePredictionTheModelServes()
    {
        var ml = new MLContext();
        var options = Quick(4);
        options.TestTimeFlip = true;
        options.Schedule.EarlyStoppingPatience = 0;
        options.ValidationData = SmallFaces.Validation(ml, 32);
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(SmallFaces.Training(ml, 128));
        var best = model.History.MinBy(h => h.ValidationRmse)!;
        double served = ml.Keypoints.Evaluate(model.Transform(options.ValidationData)).Rmse;
        using var plain = model.WithTestTimeFlip(false);
        double withoutFlip = ml.Keypoints.Evaluate(plain.Transform(options.ValidationData)).Rmse;
        Assert.Equal(best.ValidationRmse, served, 3);
        Assert.True(
            Math.Abs(withoutFlip - served) > 1e-2,
            $"the flip changes the RMSE by only {Math.Abs(withoutFlip - served)} px, so the test tells nothing"
        );
    }

    [TierFact(Needs.FaceData)]
    public void Fit_FindsTheLabelsMirrorAxis_WhereTheLabelsPutIt()
    {
        // The same faces twice, the second time with every x label 2 px further right (as 1-based labels of a
        // half-size image would be): the mirror axis that training finds moves right by those 2 px.
        var ml = new MLContext();
        var rows = ml.Data.CreateEnumerable<Face>(SmallFaces.Training(ml, 512), reuseRowObject: false).ToArray();
        var shifted = rows.Select(r => new Face
        {
            Image = r.Image,
            Keypoints = r.Keypoints.Select((v, i) => i % 2 == 0 ? v + 2 : v).ToArray(),
        });
        var options = Quick(6);
        options.ValidationFraction = 0;
        options.Layout = KeypointLayout.Kaggle15; // rows built in memory carry no slot names
        using var asLabelled = ml.Keypoints.Trainers.Cnn(options).Fit(ml.Data.LoadFromEnumerable(rows));
        using var moved = ml.Keypoints.Trainers.Cnn(options).Fit(ml.Data.LoadFromEnumerable(shifted));
        Assert.InRange(moved.FlipAxisOffset - asLabelled.FlipAxisOffset, 1.6, 2.4);

        options.CalibrateFlipAxis = false;
        using var uncalibrated = ml.Keypoints.Trainers.Cnn(options).Fit(ml.Data.LoadFromEnumerable(shifted));
        Assert.Equal(0, uncalibrated.FlipAxisOffset);
    }

    [TierFact(Needs.FaceData)]
    public void Fit_WithDefaultAugmentation_TrainsAndReportsAFiniteLoss()
    {
        var ml = new MLContext();
        var options = Quick();
        options.Augmentation = AugmentationOptions.Default;
        options.ValidationFraction = 0;
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(SmallFaces.Training(ml, 64));
        var epoch = Assert.Single(model.History);
        Assert.True(double.IsFinite(epoch.TrainLoss) && epoch.TrainLoss > 0, $"train loss {epoch.TrainLoss}");
    }

    [TierFact(Needs.FaceData)]
    public void Fit_WithDropRows_TrainsOnCompleteRowsOnly()
    {
        var ml = new MLContext();
        var options = Quick();
        options.MissingLabels = MissingLabelPolicy.DropRows;
        options.ValidationFraction = 0;
        string? message = null;
        ml.Log += (_, e) =>
        {
            if (e.RawMessage.StartsWith("Training", StringComparison.Ordinal))
                message = e.RawMessage;
        };
        var data = SmallFaces.Training(ml, 200);
        int complete = ml.Data.Keypoints.FilterMissing(data).Preview(1000).RowView.Length;
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(data);
        Assert.InRange(complete, 1, 199);
        Assert.Contains($"on {complete} rows", message, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public void Fit_Fails_WhenPixelsAreNormalizedTwice()
    {
        var ml = new MLContext();
        var data = SmallFaces.Training(ml, 32);
        var pipeline = ml.Transforms.Keypoints.NormalizePixels().Append(ml.Keypoints.Trainers.Cnn(Quick()));
        var error = Assert.Throws<InvalidOperationException>(() => pipeline.Fit(data));
        Assert.Contains("PixelScale = 1", error.Message, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public void NormalizePixelsThenTrainerWithUnitScale_PredictsLikeTheTrainerAlone()
    {
        var ml = new MLContext();
        var data = SmallFaces.Training(ml, 64);
        var options = Quick();
        options.ValidationFraction = 0;
        using var alone = ml.Keypoints.Trainers.Cnn(options).Fit(data);
        var chained = new KeypointCnnTrainer.Options
        {
            Architecture = options.Architecture,
            Seed = 11,
            ValidationFraction = 0,
            PixelScale = 1,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = 1, BatchSize = 32 },
            TimeBudget = { MaxTrainingTime = null },
        };
        var pipeline = ml.Transforms.Keypoints.NormalizePixels().Append(ml.Keypoints.Trainers.Cnn(chained)).Fit(data);
        float[][] a = Columns.Vectors(alone.Transform(data), "PredictedKeypoints");
        float[][] b = Columns.Vectors(pipeline.Transform(data), "PredictedKeypoints");
        for (int r = 0; r < a.Length; r++)
        {
            for (int c = 0; c < 30; c++)
                Assert.Equal(a[r][c], b[r][c], 2);
        }
    }

    [TierFact(Needs.FaceData)]
    public void Fit_NamesTheColumn_WhenTheLabelHasTheWrongSize()
    {
        var ml = new MLContext();
        var options = Quick();
        options.Layout = new KeypointLayout("nose", ["nose_tip"], 96, 96, [], []);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Keypoints.Trainers.Cnn(options).Fit(SmallFaces.Training(ml, 8))
        );
        Assert.Contains("'Keypoints' must be Vector<Single, 2>", error.Message, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public void GetOutputSchema_AddsThePredictionColumn_AndRejectsAMissingFeatureColumn()
    {
        var ml = new MLContext();
        var data = SmallFaces.Training(ml, 8);
        var trainer = ml.Keypoints.Trainers.Cnn(Quick());
        var shape = trainer.GetOutputSchema(ShapeOf(data.Schema));
        var predicted = shape.Single(c => c.Name == "PredictedKeypoints");
        Assert.Equal(NumberDataViewType.Single, predicted.ItemType);
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, predicted.Kind);

        var renamed = ml
            .Transforms.CopyColumns("Pixels", "Image")
            .Append(ml.Transforms.DropColumns("Image"))
            .Fit(data)
            .Transform(data);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.GetOutputSchema(ShapeOf(renamed.Schema)));
        Assert.Contains("'Image' was not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_RejectNonsense()
    {
        var ml = new MLContext();
        var data = DrawnFaces.Training(ml, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Keypoints.Trainers.Cnn(new KeypointCnnTrainer.Options { Schedule = { MaxEpochs = 0 } }).Fit(data)
        );
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Keypoints.Trainers.Cnn(new KeypointCnnTrainer.Options { ValidationFraction = 1 }).Fit(data)
        );
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Keypoints.Trainers.Cnn(new KeypointCnnTrainer.Options { Channels = 2 }).Fit(data)
        );
    }

    // ML.NET builds a SchemaShape from a schema with an internal factory; estimators' callers reach it through chains.
    private static SchemaShape ShapeOf(DataViewSchema schema) =>
        (SchemaShape)
            typeof(SchemaShape)
                .GetMethod(
                    "Create",
                    System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static,
                    [typeof(DataViewSchema)]
                )!
                .Invoke(null, [schema])!;

    private sealed class Face
    {
        [VectorType(96 * 96)]
        public float[] Image { get; set; } = [];

        [VectorType(30)]
        public float[] Keypoints { get; set; } = [];
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
