using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Tests.Onnx;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary><c>ExportOnnx(path, OnnxWeightFormat)</c>: a float16 or int8 file loads back with its metadata record,
/// scores through the library and through ML.NET's own <c>ApplyOnnxModel</c> as the float32 model does within the
/// format's rounding, switches test-time flip, and fine-tuning starts from it.</summary>
public sealed class CompressedExportTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    public static TheoryData<OnnxWeightFormat> CompressedFormats =>
        new(OnnxWeightFormat.Float16, OnnxWeightFormat.Int8);

    [TierTheory(Needs.OnnxChecker)]
    [MemberData(nameof(CompressedFormats))]
    public void ExportOnnx_WritesASmallerFile_ThatLoadsWithItsMetadata_AndScoresAsTheFloat32Model(
        OnnxWeightFormat format
    )
    {
        using var temp = new TempFolder();
        fixture.Model.ExportOnnx(temp.File("float32.onnx"));

        string path = Exported(temp, format);

        double ratio = (double)new FileInfo(path).Length / new FileInfo(temp.File("float32.onnx")).Length;
        Assert.InRange(ratio, 0.2, format == OnnxWeightFormat.Float16 ? 0.55 : 0.3);
        OnnxChecker.Check(path);
        using var loaded = fixture.Ml.Keypoints.LoadModel<KeypointCnnModel>(path);
        Assert.Equal(fixture.Model.Metadata.ToJson(), loaded.Metadata.ToJson());
        float[][] expected = Columns.Vectors(fixture.Model.Transform(fixture.Validation), "PredictedKeypoints");
        float[][] actual = Columns.Vectors(loaded.Transform(fixture.Validation), "PredictedKeypoints");
        AssertWithinRounding(format, expected, actual);
    }

    [Theory]
    [MemberData(nameof(CompressedFormats))]
    public void CompressedFile_ScoresThroughMLNetsApplyOnnxModel_AndAPredictionEngine(OnnxWeightFormat format)
    {
        using var temp = new TempFolder();
        string path = Exported(temp, format);
        var ml = fixture.Ml;

        using var onnx = ml.Transforms.ApplyOnnxModel("PredictedKeypoints", "Image", path).Fit(fixture.Validation);
        using var engine = ml.Model.CreatePredictionEngine<Face, Prediction>(
            onnx,
            new PredictionEngineOptions { OwnsTransformer = false }
        );

        float[][] expected = Columns.Vectors(fixture.Model.Transform(fixture.Validation), "PredictedKeypoints");
        float[][] images = Columns.Vectors(fixture.Validation, "Image");
        float[][] predicted = images
            .Take(8)
            .Select(i => engine.Predict(new Face { Image = i }).PredictedKeypoints)
            .ToArray();
        AssertWithinRounding(format, expected.Take(8).ToArray(), predicted);
    }

    [Theory]
    [MemberData(nameof(CompressedFormats))]
    public void LoadedCompressedModel_SwitchesTestTimeFlipOnAndOff_KeepingItsWeightsCompressed(OnnxWeightFormat format)
    {
        using var temp = new TempFolder();
        string path = Exported(temp, format);
        using var loaded = fixture.Ml.Keypoints.LoadModel<KeypointCnnModel>(path);

        using var flipped = loaded.WithTestTimeFlip(true);
        using var plain = flipped.WithTestTimeFlip(false);

        Assert.Equal(loaded.OnnxGraph.ToArray(), plain.OnnxGraph.ToArray());
        Assert.True(
            flipped.OnnxGraph.Length < fixture.Model.OnnxGraph.Length * 0.6,
            "the flip wrapper should keep the weights compressed"
        );
        using var fittedFlip = fixture.Model.WithTestTimeFlip(true);
        AssertWithinRounding(
            format,
            Columns.Vectors(fittedFlip.Transform(fixture.Validation), "PredictedKeypoints"),
            Columns.Vectors(flipped.Transform(fixture.Validation), "PredictedKeypoints")
        );
    }

    [Theory]
    [MemberData(nameof(CompressedFormats))]
    public void FineTuning_StartsFromACompressedFile_WhereTheModelStopped(OnnxWeightFormat format)
    {
        using var temp = new TempFolder();
        string path = Exported(temp, format);
        using var loaded = fixture.Ml.Keypoints.LoadModel(path);

        using var tuned = fixture
            .Ml.Keypoints.Trainers.Cnn(
                new KeypointCnnTrainer.Options
                {
                    Architecture = KeypointArchitecture.ConvNet3,
                    Seed = 3,
                    ValidationData = fixture.Validation,
                    StartFrom = loaded,
                    Augmentation = AugmentationOptions.None,
                    TestTimeFlip = false,
                    Schedule = { MaxEpochs = 1, BatchSize = 32 },
                    TimeBudget = { MaxTrainingTime = null },
                }
            )
            .Fit(fixture.Training);

        double modelRmse = fixture.Model.History.Min(h => h.ValidationRmse);
        double tunedRmse = tuned.History[0].ValidationRmse;
        Assert.True(
            tunedRmse < 1.2 * modelRmse,
            $"{format}: the first epoch from the file reaches {tunedRmse:F3} px; the model had {modelRmse:F3} px"
        );
    }

    private string Exported(TempFolder temp, OnnxWeightFormat format)
    {
        string path = temp.File($"{format}.onnx");
        fixture.Model.ExportOnnx(path, format);
        return path;
    }

    /// <summary>Float16 moves each weight by at most 2^-11 of itself; int8 by at most 1/254 of its output channel's
    /// largest. On this ConvNet3 that moves a coordinate by at most 0.005 px for float16 and 0.11 px for int8 (measured
    /// over the 64 validation faces, with and without test-time flip); the tolerances, 0.02 and 0.3 px, leave four and
    /// about three times that, and stay far below the model's error (pixels).</summary>
    private static void AssertWithinRounding(OnnxWeightFormat format, float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double difference = expected.Zip(actual, (e, a) => e.Zip(a, (x, y) => Math.Abs(x - y)).Max()).Max();
        double tolerance = format == OnnxWeightFormat.Float16 ? 0.02 : 0.3;
        Assert.True(difference <= tolerance, $"{format}: max |compressed - float32| = {difference} px");
    }

    private sealed class Face
    {
        [VectorType(96 * 96)]
        public float[] Image { get; set; } = [];
    }

    private sealed class Prediction
    {
        public float[] PredictedKeypoints { get; set; } = [];
    }
}
