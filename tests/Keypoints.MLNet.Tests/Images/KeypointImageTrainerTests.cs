using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Images;

public sealed class KeypointImageTrainerTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MLContext ml = new(seed: 2);

    public void Dispose() => folder.Dispose();

    private KeypointImageTrainer Trainer(int channels, int epochs = 1) =>
        ml.Keypoints.Trainers.CnnOnImages(
            new KeypointImageTrainer.Options
            {
                InputWidth = 48,
                InputHeight = 48,
                Network = new KeypointCnnTrainer.Options
                {
                    Architecture = KeypointArchitecture.ConvNet3,
                    Channels = channels,
                    Seed = 2,
                    ValidationFraction = 0,
                    Augmentation = AugmentationOptions.None,
                    TestTimeFlip = false,
                    Schedule = { MaxEpochs = epochs, BatchSize = 32 },
                    TimeBudget = { MaxTrainingTime = null },
                },
            }
        );

    private static float[][] Predictions(IDataView scored, string column = "PredictedKeypoints") =>
        scored.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();

    [TierFact(Needs.FaceData)]
    public void SavedModel_LoadsAndScoresImageFiles_Identically_InOriginalImageCoordinates()
    {
        var data = ml.Data.Keypoints.LoadImageCsv(ImageFiles.WriteCsv(folder, "train.csv", "train", 64));
        using var model = Trainer(channels: 3).Fit(data);
        Assert.Equal(3, model.Network.Metadata.Channels);
        Assert.Equal((48, 48), (model.Network.Layout.ImageWidth, model.Network.Layout.ImageHeight));
        string path = folder.File("model.zip");
        ml.Model.Save(model, data.Schema, path);
        var loaded = new MLContext().Model.Load(path, out var inputSchema);
        Assert.NotNull(inputSchema.GetColumnOrNull("ImagePath"));

        float[][] expected = Predictions(model.Transform(data));
        float[][] actual = Predictions(loaded.Transform(data));
        Assert.Equal(expected.Length, actual.Length);
        for (int r = 0; r < expected.Length; r++)
            Assert.Equal(expected[r], actual[r], (a, b) => Math.Abs(a - b) < 1e-3f);
        // Mapped back to the 160 x 160 originals: an untrained-looking net still predicts near the face, far beyond 48
        // px.
        Assert.Contains(expected.SelectMany(p => p), v => v > 60);
        Assert.All(expected.SelectMany(p => p), v => Assert.InRange(v, -40, 200));
    }

    [TierFact(Needs.FaceData)]
    public void LoadModel_OfASavedImageModel_GivesTheTypedModel_WithTheSamePredictionsAndMetadata()
    {
        var data = ml.Data.Keypoints.LoadImageCsv(ImageFiles.WriteCsv(folder, "train.csv", "train", 32));
        using var model = Trainer(channels: 1).Fit(data);
        string zip = folder.File("image-model.zip");
        ml.Model.Save(model, data.Schema, zip);
        string onnx = folder.File("image-model.onnx");
        model.ExportOnnx(onnx);

        using var loaded = new MLContext().Keypoints.LoadModel<KeypointImageModel>(zip);

        Assert.Equal(model.Metadata.ToJson(), loaded.Metadata.ToJson());
        Assert.Equal(
            (model.Layout.ImageWidth, model.Layout.ImageHeight),
            (loaded.Layout.ImageWidth, loaded.Layout.ImageHeight)
        );
        Assert.Equal((160, 160), (loaded.Layout.ImageWidth, loaded.Layout.ImageHeight));
        Assert.Equal(model.PredictedColumnName, loaded.PredictedColumnName);
        Assert.Equal(Predictions(model.Transform(data)), Predictions(loaded.Transform(data)));
        string again = folder.File("again.onnx");
        loaded.ExportOnnx(again);
        Assert.Equal(File.ReadAllBytes(onnx), File.ReadAllBytes(again));
        // The bare graph holds the image-file record too, so it loads as the image model.
        using var fromOnnx = new MLContext().Keypoints.LoadModel<KeypointImageModel>(onnx);
        Assert.Equal(Predictions(model.Transform(data)), Predictions(fromOnnx.Transform(data)));
    }

    [TierFact(Needs.FaceData)]
    public void WithTestTimeFlip_SwitchesTheChainsNetwork_AndOffAgainGivesTheOriginalPredictions()
    {
        var data = ml.Data.Keypoints.LoadImageCsv(ImageFiles.WriteCsv(folder, "train.csv", "train", 32));
        using var plain = Trainer(channels: 1).Fit(data);

        using var flipped = plain.WithTestTimeFlip(true);
        using var offAgain = flipped.WithTestTimeFlip(false);

        Assert.True(flipped.Metadata.TestTimeFlip);
        Assert.False(offAgain.Metadata.TestTimeFlip);
        float[][] expected = Predictions(plain.Transform(data));
        float[][] averaged = Predictions(flipped.Transform(data));
        Assert.Equal(expected, Predictions(offAgain.Transform(data)));
        // The mirrored prediction is un-mirrored before the average: the average moves the points (the net is not
        // symmetric) but by pixels, where a mirror left in place would move them by tens of the 160 px originals.
        double[] moved = [.. expected.Zip(averaged, (e, a) => e.Zip(a, (x, y) => (double)Math.Abs(x - y)).Average())];
        Assert.True(moved.Max() > 1e-3, "the flip changed no prediction");
        Assert.True(moved.Average() < 10, $"the flip moved points by {moved.Average():F1} px on average");
    }

    [TierFact(Needs.FaceData)]
    public void OneKeypointLayout_TrainsScoresAndEvaluates_EndToEnd()
    {
        var data = ml.Data.Keypoints.LoadImageCsv(ImageFiles.WriteCsv(folder, "nose.csv", "train", 64, [30]));
        Assert.Equal(1, data.Layout.KeypointCount);
        using var model = Trainer(channels: 1, epochs: 2).Fit(data);
        var metrics = ml.Keypoints.Evaluate(model.Transform(data), data.Layout);
        Assert.Equal(64, metrics.Rows);
        Assert.InRange(metrics.Rmse, 0.1, 60);
        Assert.Single(metrics.PerKeypoint);
        Assert.Contains("box", metrics.NmeNormalization, StringComparison.Ordinal);
    }
}
