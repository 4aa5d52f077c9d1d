using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>Every check of a Fit runs before its first epoch, so a mistake costs no training time.</summary>
public sealed class ChecksBeforeTrainingTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly List<string> epochs = [];

    public void Dispose() => folder.Dispose();

    private KeypointCnnTrainer.Options Options() =>
        new()
        {
            Architecture = KeypointArchitecture.Mlp,
            Seed = 11,
            ValidationFraction = 0,
            Progress = new Recorder(epochs),
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = 1, BatchSize = 32 },
            TimeBudget = { MaxTrainingTime = null },
            Pretraining = { Progress = new PretrainingRecorder(epochs) },
        };

    [Fact]
    public void Fit_WithSpecialistsOnALayoutWithoutGroups_FailsBeforeAnyEpoch()
    {
        var ml = new MLContext();
        var options = Options();
        options.Specialists.Enabled = true;
        var kaggle = KeypointLayout.Kaggle15;
        options.Layout = new KeypointLayout("no groups", kaggle.KeypointNames, 96, 96, kaggle.FlipPairs, []);
        var error = Assert.Throws<ArgumentException>(() =>
            ml.Keypoints.Trainers.Cnn(options).Fit(DrawnFaces.Training(ml, 32))
        );
        Assert.Contains("'no groups' has none", error.Message, StringComparison.Ordinal);
        Assert.Empty(epochs);
    }

    [TierFact(Needs.FaceData)]
    public void Fit_WithSpecialistsOnImageFilesWithoutGroups_FailsBeforeAnyEpoch()
    {
        var ml = new MLContext();
        var data = ml.Data.Keypoints.LoadImageCsv(Images.ImageFiles.WriteCsv(folder, "eyes.csv", "train", 8, [36, 45]));
        var options = Options();
        options.Specialists.Enabled = true;
        var trainer = ml.Keypoints.Trainers.CnnOnImages(
            new KeypointImageTrainer.Options
            {
                InputWidth = 32,
                InputHeight = 32,
                Network = options,
            }
        );
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(data));
        Assert.Contains("has none", error.Message, StringComparison.Ordinal);
        Assert.Empty(epochs);
    }

    [TierFact(Needs.FaceData)]
    public void ImageFit_WithTheNetworksColumnNamesSet_FailsNamingThem_InsteadOfIgnoringThem()
    {
        var ml = new MLContext();
        var data = ml.Data.Keypoints.LoadImageCsv(Images.ImageFiles.WriteCsv(folder, "faces.csv", "train", 8));
        var options = Options();
        options.LabelColumnName = "Landmarks";
        var trainer = ml.Keypoints.Trainers.CnnOnImages(
            new KeypointImageTrainer.Options
            {
                InputWidth = 32,
                InputHeight = 32,
                Network = options,
            }
        );
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(data));
        Assert.Contains("Network.LabelColumnName ('Landmarks')", error.Message, StringComparison.Ordinal);
        Assert.Empty(epochs);
    }

    [Fact]
    public void Fit_WithACheckpointFolderThatIsAFile_FailsBeforeAnyEpoch()
    {
        var ml = new MLContext();
        var options = Options();
        options.Checkpoints.Folder = folder.Write("not-a-folder", "");
        var error = Assert.Throws<ArgumentException>(() =>
            ml.Keypoints.Trainers.Cnn(options).Fit(DrawnFaces.Training(ml, 32))
        );
        Assert.Contains("not-a-folder", error.Message, StringComparison.Ordinal);
        Assert.Empty(epochs);
    }

    [Fact]
    public void Fit_WithPretrainingSetOnMlpAfterTheTrainerWasMade_FailsBeforeAnyEpoch()
    {
        var ml = new MLContext();
        var options = Options();
        var trainer = ml.Keypoints.Trainers.Cnn(options);
        options.Pretraining.Epochs = 2;
        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(DrawnFaces.Training(ml, 32)));
        Assert.Contains("Mlp", error.Message, StringComparison.Ordinal);
        Assert.Empty(epochs);
    }

    private sealed class Recorder(List<string> epochs) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => epochs.Add($"{value.Specialist ?? "base"} {value.Epoch}");
    }

    private sealed class PretrainingRecorder(List<string> epochs) : IProgress<PretrainingReport>
    {
        public void Report(PretrainingReport value) => epochs.Add($"pretraining {value.Epoch}");
    }
}
