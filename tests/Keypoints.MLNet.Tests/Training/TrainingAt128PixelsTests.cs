using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Tests.Images;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>Faces of 128 x 128 pixels, Kaggle-layout rows and image files resized to 128, train with specialists and
/// score.</summary>
[Collection(GlobalRandomGenerator.Name)]
public sealed class TrainingAt128PixelsTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static KeypointCnnTrainer.Options Tiny() =>
        new()
        {
            Architecture = KeypointArchitecture.Mlp,
            Seed = 3,
            ValidationFraction = 0.25,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = 1, BatchSize = 8 },
            TimeBudget = { MaxTrainingTime = TimeSpan.FromSeconds(30) },
            Specialists = { MaxEpochs = 1, Enabled = true },
        };

    [Fact]
    public void KaggleLayoutAt128_FromTheLoader_TrainsSpecialistsAndScores()
    {
        var ml = new MLContext(seed: 3);
        var data = ml.Data.Keypoints.LoadFkdCsv(
            SyntheticFaces.WriteKaggleCsv(folder, "faces128.csv", 128, 16),
            128,
            128
        );
        Assert.Equal(6, data.Layout.Groups.Count);
        using var model = ml.Keypoints.Trainers.Cnn(Tiny()).Fit(data);
        AssertTrainedAndScores(ml, model, data);
    }

    [Fact]
    public void KaggleLayoutAt128_FromSlotNamesAndTheImageColumnSize_TrainsSpecialistsAndScores()
    {
        var ml = new MLContext(seed: 3);
        // TakeRows hides the loader's view: only the slot names and the 16384-value image column are left to tell the
        // layout.
        var data = ml.Data.TakeRows(
            ml.Data.Keypoints.LoadFkdCsv(SyntheticFaces.WriteKaggleCsv(folder, "faces128.csv", 128, 16), 128, 128),
            16
        );
        using var model = ml.Keypoints.Trainers.Cnn(Tiny()).Fit(data);
        AssertTrainedAndScores(ml, model, data);
    }

    [TierFact(Needs.FaceData)]
    public void ImageFilesAt128_TrainSpecialistsAndScore()
    {
        var ml = new MLContext(seed: 3);
        var data = ml.Data.Keypoints.LoadImageCsv(ImageFiles.WriteCsv(folder, "train.csv", "train", 8));
        using var model = ImageTrainer(ml).Fit(data);
        Assert.Equal((128, 128), (model.Network.Layout.ImageWidth, model.Network.Layout.ImageHeight));
        Assert.Equal(KeypointLayout.Ibug68.Groups.Count, model.Network.SpecialistHistories.Count);
        AssertScores(ml, model, data, 68);
    }

    [TierFact(Needs.FaceData)]
    public void ImageFilesWithKaggleColumnsAt128_TrainSpecialistsAndScore()
    {
        // Kaggle's 15 keypoints named in a CSV of 160 x 160 image files: the competition's layout, groups included, at
        // another size.
        int[] kaggleFromIbug = [42, 36, 42, 45, 39, 36, 22, 26, 21, 17, 30, 54, 48, 51, 57];
        string csv = ImageFiles.WriteCsv(
            folder,
            "kaggle.csv",
            "train",
            8,
            kaggleFromIbug,
            KeypointLayout.Kaggle15.KeypointNames
        );
        var context = new MLContext(seed: 3);
        var data = context.Data.Keypoints.LoadImageCsv(csv);
        Assert.Equal(6, data.Layout.Groups.Count);
        using var model = ImageTrainer(context).Fit(data);
        Assert.Equal((128, 128), (model.Network.Layout.ImageWidth, model.Network.Layout.ImageHeight));
        Assert.Equal(
            KeypointLayout.Kaggle15.Groups.Select(g => g.Name).Order(),
            model.Network.SpecialistHistories.Keys.Order()
        );
        AssertScores(context, model, data, 15);
    }

    private static KeypointImageTrainer ImageTrainer(MLContext ml) =>
        ml.Keypoints.Trainers.CnnOnImages(
            new KeypointImageTrainer.Options
            {
                InputWidth = 128,
                InputHeight = 128,
                Network = Tiny(),
            }
        );

    private static void AssertScores(MLContext ml, KeypointImageModel model, IDataView data, int keypoints)
    {
        float[][] predictions = Columns.Vectors(model.Transform(data), "PredictedKeypoints");
        Assert.Equal(8, predictions.Length);
        Assert.All(predictions, p => Assert.Equal(2 * keypoints, p.Length));
        Assert.All(predictions.SelectMany(p => p), v => Assert.True(float.IsFinite(v)));
        var metrics = ml.Keypoints.Evaluate(model.Transform(data));
        Assert.True(double.IsFinite(metrics.Rmse), $"RMSE {metrics.Rmse}");
    }

    private static void AssertTrainedAndScores(MLContext ml, KeypointCnnModel model, IDataView data)
    {
        Assert.Equal((128, 128), (model.Layout.ImageWidth, model.Layout.ImageHeight));
        Assert.Equal(
            KeypointLayout.Kaggle15.Groups.Select(g => g.Name).Order(),
            model.SpecialistHistories.Keys.Order()
        );
        float[][] predictions = Columns.Vectors(model.Transform(data), "PredictedKeypoints");
        Assert.Equal(16, predictions.Length);
        Assert.All(predictions, p => Assert.Equal(30, p.Length));
        Assert.All(predictions.SelectMany(p => p), v => Assert.True(float.IsFinite(v)));
        var metrics = ml.Keypoints.Evaluate(model.Transform(data));
        Assert.True(double.IsFinite(metrics.Rmse), $"RMSE {metrics.Rmse}");
    }
}
