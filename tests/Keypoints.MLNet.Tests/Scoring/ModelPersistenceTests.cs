using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary>A fitted model survives <c>Model.Save</c>/<c>Load</c> and scores identically through every ML.NET
/// path.</summary>
public sealed class ModelPersistenceTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private sealed class Face
    {
        [VectorType(9216)]
        public float[] Image { get; set; } = [];
    }

    private sealed class Prediction
    {
        public float[] PredictedKeypoints { get; set; } = [];
    }

    [Fact]
    public void SaveThenLoad_GivesIdenticalPredictions_ThroughTransformAndPredictionEngine()
    {
        var ml = fixture.Ml;
        float[][] before = Columns.Vectors(fixture.Model.Transform(fixture.Validation), "PredictedKeypoints");
        using var stream = new MemoryStream();
        ml.Model.Save(fixture.Model, fixture.Validation.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);

        float[][] after = Columns.Vectors(loaded.Transform(fixture.Validation), "PredictedKeypoints");
        Assert.Equal(before.Length, after.Length);
        for (int r = 0; r < before.Length; r++)
            Assert.Equal(before[r], after[r]);

        var engine = ml.Model.CreatePredictionEngine<Face, Prediction>(loaded);
        float[][] images = Columns.Vectors(fixture.Validation, "Image");
        for (int r = 0; r < 8; r++)
            Assert.Equal(before[r], engine.Predict(new Face { Image = images[r] }).PredictedKeypoints);
    }

    [Fact]
    public void SavedModel_LoadsBackAsMLNetsOwnOnnxTransformer()
    {
        using var stream = new MemoryStream();
        fixture.Ml.Model.Save(fixture.Model, fixture.Validation.Schema, stream);
        stream.Position = 0;
        var loaded = fixture.Ml.Model.Load(stream, out _);
        Assert.IsType<Microsoft.ML.Transforms.Onnx.OnnxTransformer>(loaded);
    }

    [Fact]
    [Trait("Category", "Integration")] // trains with the CLI and scores with another app, both child processes
    public void AppWithoutThisLibraryOrTorchSharp_ScoresAModelSavedByTheCli()
    {
        var folder = Directory.CreateTempSubdirectory("keypoints-cli-");
        try
        {
            string model = Path.Combine(folder.FullName, "model.zip");
            string cli = ProcessRunner.BuiltAssembly("src/Keypoints.Cli", "Keypoints.Cli");
            var train = ProcessRunner.Run(
                "dotnet",
                [
                    cli,
                    "train",
                    "--data",
                    DrawnFaces.ValidationCsv,
                    "--arch",
                    "convnet3",
                    "--epochs",
                    "1",
                    "--seed",
                    "5",
                    "--out",
                    model,
                ],
                TimeSpan.FromMinutes(5)
            );
            Assert.True(train.ExitCode == 0, train.StandardOutput + train.StandardError);

            string app = ProcessRunner.BuiltAssembly("tests/Keypoints.ScoringOnlyApp", "Keypoints.ScoringOnlyApp");
            string appFolder = Path.GetDirectoryName(app)!;
            Assert.False(
                File.Exists(Path.Combine(appFolder, "Keypoints.MLNet.dll")),
                "the scoring-only app must not ship this library"
            );
            Assert.False(
                File.Exists(Path.Combine(appFolder, "TorchSharp.dll")),
                "the scoring-only app must not ship TorchSharp"
            );
            var score = ProcessRunner.Run(
                "dotnet",
                [app, model, DrawnFaces.ValidationCsv, "5"],
                TimeSpan.FromMinutes(2)
            );
            Assert.True(score.ExitCode == 0, score.StandardOutput + score.StandardError);

            float[][] appPredictions = score
                .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
                .ToArray();
            var ml = new MLContext();
            var data = ml.Data.TakeRows(ml.Data.Keypoints.LoadFkdCsv(DrawnFaces.ValidationCsv), 5);
            float[][] expected = Columns.Vectors(ml.Model.Load(model, out _).Transform(data), "PredictedKeypoints");
            Assert.Equal(5, appPredictions.Length);
            for (int r = 0; r < 5; r++)
                Assert.Equal(expected[r], appPredictions[r]);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
