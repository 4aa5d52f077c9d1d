using System.Diagnostics;
using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>Interrupted training resumes from its checkpoint and ends where an uninterrupted run ends.</summary>
[Collection(GlobalRandomGenerator.Name)]
[Trait("Category", "Integration")]
public sealed class CheckpointTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("keypoints-checkpoints-");

    private static KeypointCnnTrainer.Options Options(IDataView validation) =>
        new()
        {
            Architecture = KeypointArchitecture.ConvNet3,
            Seed = 5,
            ValidationData = validation,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule =
            {
                MaxEpochs = 4,
                BatchSize = 32,
                EarlyStoppingPatience = 0,
            },
            TimeBudget = { MaxTrainingTime = null },
        };

    [TierFact(Needs.FaceData)]
    public void ResumedRun_GivesTheSameWeightsAsAnUninterruptedRun()
    {
        var ml = new MLContext();
        var data = SmallFaces.Training(ml, 128);
        var validation = SmallFaces.Validation(ml, 32);
        using var uninterrupted = ml.Keypoints.Trainers.Cnn(Options(validation)).Fit(data);

        var crashing = Options(validation);
        crashing.Checkpoints.Folder = folder.FullName;
        crashing.Progress = new Crash(afterEpoch: 2);
        Assert.Throws<SimulatedCrashException>(() => ml.Keypoints.Trainers.Cnn(crashing).Fit(data));

        var resuming = Options(validation);
        resuming.Checkpoints.Folder = folder.FullName;
        resuming.Checkpoints.Resume = true;
        var reported = new List<int>();
        resuming.Progress = new Recorder(reported);
        using var resumed = ml.Keypoints.Trainers.Cnn(resuming).Fit(data);

        Assert.Equal([3, 4], reported);
        Assert.Equal(uninterrupted.History.Select(h => h.TrainLoss), resumed.History.Select(h => h.TrainLoss));
        Assert.Equal(
            Columns.Vectors(uninterrupted.Transform(validation), "PredictedKeypoints"),
            Columns.Vectors(resumed.Transform(validation), "PredictedKeypoints")
        );
    }

    [TierFact(Needs.FaceData)]
    public void Resume_OfARunThatUsedUpItsTimeBudget_TrainsNoFurther()
    {
        var ml = new MLContext();
        var data = SmallFaces.Training(ml, 128);
        var validation = SmallFaces.Validation(ml, 32);
        KeypointCnnTrainer.Options Timed()
        {
            var options = Options(validation);
            options.Architecture = KeypointArchitecture.Mlp;
            options.Schedule.MaxEpochs = 10_000;
            options.TimeBudget.MaxTrainingTime = TimeSpan.FromSeconds(2);
            options.Checkpoints.Folder = folder.FullName;
            return options;
        }
        using var first = ml.Keypoints.Trainers.Cnn(Timed()).Fit(data);
        Assert.InRange(first.History.Count, 2, 9_999);

        var resuming = Timed();
        resuming.Checkpoints.Resume = true;
        var reported = new List<int>();
        resuming.Progress = new Recorder(reported);
        using var resumed = ml.Keypoints.Trainers.Cnn(resuming).Fit(data);

        Assert.Empty(reported);
        Assert.Equal(first.History, resumed.History);
        Assert.Equal(
            Columns.Vectors(first.Transform(validation), "PredictedKeypoints"),
            Columns.Vectors(resumed.Transform(validation), "PredictedKeypoints")
        );
    }

    [TierTheory(Needs.FaceData)]
    [InlineData("architecture")]
    [InlineData("loss")]
    public void Resume_RefusesACheckpointOfADifferentRun(string difference)
    {
        var ml = new MLContext();
        var data = SmallFaces.Training(ml, 64);
        var first = Options(SmallFaces.Validation(ml, 8));
        first.Schedule.MaxEpochs = 1;
        first.Checkpoints.Folder = folder.FullName;
        ml.Keypoints.Trainers.Cnn(first).Fit(data).Dispose();
        Assert.True(File.Exists(Path.Combine(folder.FullName, "checkpoint.kpck")));
        Assert.Empty(folder.GetFiles("*.tmp"));

        var other = Options(SmallFaces.Validation(ml, 8));
        if (difference == "loss")
            other.Loss = KeypointLoss.Wing;
        else
            other.Architecture = KeypointArchitecture.Mlp;
        other.Checkpoints.Folder = folder.FullName;
        other.Checkpoints.Resume = true;
        var error = Assert.Throws<InvalidOperationException>(() => ml.Keypoints.Trainers.Cnn(other).Fit(data));
        Assert.Contains("checkpoint.kpck was written by a different run", error.Message, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public void Resume_RefusesTheCheckpointOfAFineTuningRun_ForARunFromScratch()
    {
        var ml = new MLContext();
        var data = SmallFaces.Training(ml, 64);
        var first = Options(SmallFaces.Validation(ml, 8));
        first.Schedule.MaxEpochs = 1;
        using var start = ml.Keypoints.Trainers.Cnn(first).Fit(data);
        var tuning = Options(SmallFaces.Validation(ml, 8));
        tuning.Schedule.MaxEpochs = 1;
        tuning.Checkpoints.Folder = folder.FullName;
        tuning.StartFrom = start;
        ml.Keypoints.Trainers.Cnn(tuning).Fit(data).Dispose();

        var scratch = Options(SmallFaces.Validation(ml, 8));
        scratch.Checkpoints.Folder = folder.FullName;
        scratch.Checkpoints.Resume = true;
        var error = Assert.Throws<InvalidOperationException>(() => ml.Keypoints.Trainers.Cnn(scratch).Fit(data));
        Assert.Contains("checkpoint.kpck was written by a different run", error.Message, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public void CliTraining_KilledWithSigkill_ResumesAndFinishes()
    {
        string csv = Path.Combine(folder.FullName, "faces.csv");
        File.WriteAllLines(csv, File.ReadLines(SmallFaces.TrainingCsv).Take(301));
        string model = Path.Combine(folder.FullName, "model.zip");
        string checkpoint = Path.Combine(folder.FullName, "ckpt", "checkpoint.kpck");
        string[] train =
        [
            ProcessRunner.BuiltAssembly("src/Keypoints.Cli", "Keypoints.Cli"),
            "train",
            "--data",
            csv,
            "--arch",
            "convnet3",
            "--no-augment",
            "--no-tta",
            "--epochs",
            "30",
            "--seed",
            "3",
            "--checkpoints",
            Path.Combine(folder.FullName, "ckpt"),
            "--out",
            model,
        ];

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in train)
            start.ArgumentList.Add(argument);
        using (var process = Process.Start(start)!)
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(checkpoint) && !process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3))
                Thread.Sleep(100);
            Assert.False(process.HasExited, "training ended before it could be killed");
            process.Kill(); // SIGKILL on Linux: no chance to clean up
            process.WaitForExit();
        }
        Assert.False(File.Exists(model));

        var resumed = ProcessRunner.Run("dotnet", [.. train, "--resume"], TimeSpan.FromMinutes(5));
        Assert.True(resumed.ExitCode == 0, resumed.StandardOutput + resumed.StandardError);
        Assert.True(File.Exists(model));
        string firstEpoch = resumed
            .StandardOutput.Split('\n')
            .First(l => l.StartsWith("epoch", StringComparison.Ordinal));
        Assert.DoesNotMatch(@"^epoch\s+1\s", firstEpoch);
        Assert.Contains("of 30", resumed.StandardOutput, StringComparison.Ordinal);
    }

    public void Dispose() => folder.Delete(recursive: true);

    private sealed class SimulatedCrashException : Exception;

    private sealed class Crash(int afterEpoch) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            if (value.Epoch == afterEpoch)
                throw new SimulatedCrashException();
        }
    }

    private sealed class Recorder(List<int> epochs) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => epochs.Add(value.Epoch);
    }
}
