using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>A checkpoint written by an earlier build (<c>Fixtures/mlp16-nesterov-epoch2.kpck</c>: an Mlp on 16 x 16
/// synthetic faces, Nesterov, seed 5, interrupted after epoch 2 of 3) still resumes, and the resumed run ends where an
/// uninterrupted run ends.</summary>
[Collection(GlobalRandomGenerator.Name)]
public sealed class CheckpointFixtureTests : IDisposable
{
    private static readonly string Fixture = Path.Combine(
        AppContext.BaseDirectory,
        "Training",
        "Fixtures",
        "mlp16-nesterov-epoch2.kpck"
    );

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Resume_FromACheckpointOfAnEarlierBuild_EndsAsAnUninterruptedRun()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.Keypoints.LoadFkdCsv(
            SyntheticFaces.WriteKaggleCsv(folder, "small.csv", 16, 40, seed: 13),
            16,
            16
        );
        using var uninterrupted = ml.Keypoints.Trainers.Cnn(Options()).Fit(data);

        string checkpoints = Directory.CreateDirectory(folder.File("checkpoints")).FullName;
        File.Copy(Fixture, Path.Combine(checkpoints, "checkpoint.kpck"));
        var resuming = Options();
        resuming.Checkpoints.Folder = checkpoints;
        resuming.Checkpoints.Resume = true;
        var reported = new List<int>();
        resuming.Progress = new Recorder(reported);
        using var resumed = ml.Keypoints.Trainers.Cnn(resuming).Fit(data);

        Assert.Equal([3], reported);
        Assert.Equal(
            uninterrupted.History.Select(h => (h.Epoch, h.TrainLoss, h.ValidationRmse, h.LearningRate, h.IsBest)),
            resumed.History.Select(h => (h.Epoch, h.TrainLoss, h.ValidationRmse, h.LearningRate, h.IsBest))
        );
        Assert.Equal(uninterrupted.FlipAxisOffset, resumed.FlipAxisOffset);
        Assert.Equal(
            Columns.Vectors(uninterrupted.Transform(data), "PredictedKeypoints"),
            Columns.Vectors(resumed.Transform(data), "PredictedKeypoints")
        );
    }

    /// <summary>The options of the run that wrote the fixture.</summary>
    private static KeypointCnnTrainer.Options Options() =>
        new()
        {
            Architecture = KeypointArchitecture.Mlp,
            // The loss of the build that wrote the fixture: the only one it had.
            Loss = KeypointLoss.MeanSquaredError,
            Seed = 5,
            ValidationFraction = 0.25,
            FlipAugmentation = true,
            CalibrateFlipAxis = true,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule =
            {
                Optimizer = KeypointOptimizer.Nesterov,
                MaxEpochs = 3,
                BatchSize = 8,
                EarlyStoppingPatience = 0,
                RestoreBestWeights = false,
            },
            TimeBudget = { MaxTrainingTime = null },
        };

    private sealed class Recorder(List<int> epochs) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => epochs.Add(value.Epoch);
    }
}
