using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Runtime;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Tests.Onnx;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>Nouri's specialists: one fine-tuned copy of the base network per keypoint group, combined into one
/// graph.</summary>
[Collection(GlobalRandomGenerator.Name)]
[Trait("Category", "Integration")]
public sealed class SpecialistTests
{
    private static KeypointCnnTrainer.Options SmallRun(IDataView validation) =>
        new()
        {
            Architecture = KeypointArchitecture.ConvNet3,
            Seed = 5,
            ValidationData = validation,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = 1 },
            TimeBudget = { MaxTrainingTime = null },
            Specialists = { MaxEpochs = 1, Enabled = true },
        };

    [TierFact(Needs.FaceData | Needs.OnnxChecker)]
    public void Fit_WithSpecialists_TrainsOnePerGroup_AndTheCombinedGraphMatchesTorchSharp()
    {
        var ml = new MLContext(seed: 5);
        var validation = SmallFaces.Validation(ml, 32);
        string folder = Path.Combine(Path.GetTempPath(), $"keypoints-specialists-{Guid.NewGuid():N}");
        try
        {
            var options = SmallRun(validation);
            options.Checkpoints.Folder = folder;
            options.TestTimeFlip = true;
            var (model, networks) = ml.Keypoints.Trainers.Cnn(options).FitKeepingNetworks(SmallFaces.Training(ml, 256));
            using var disposeModel = model;
            using var disposeNetworks = networks;

            string[] groups = KeypointLayout.Kaggle15.Groups.Select(g => g.Name).ToArray();
            Assert.Equal(groups.Order(), model.SpecialistHistories.Keys.Order());
            Assert.Equal(groups.Select(g => "specialist_" + g), model.Metadata.Networks);
            foreach (string? group in groups)
            {
                Assert.True(
                    File.Exists(TrainingCheckpoint.PathIn(Path.Combine(folder, "specialist-" + group))),
                    $"no checkpoint for {group}"
                );
            }

            AssertEachSpecialistChoseOnTheServedPrediction(model, validation);
            // Fine-tuning starts at the rate of the base network's kept epoch.
            double keptRate = model.History.Last(h => h.IsBest).LearningRate;
            Assert.All(model.SpecialistHistories.Values, h => Assert.Equal(keptRate, h[0].LearningRate));

            using var plain = model.WithTestTimeFlip(false);
            float[][] images = Columns.Vectors(validation, "Image");
            float[][] onnx = Columns.Vectors(plain.Transform(validation), "PredictedKeypoints");
            var scaling = new CoordinateScaling(model.Layout);
            using var scope = NewDisposeScope();
            var input = tensor(
                images.SelectMany(i => i).Select(v => v / 255f).ToArray(),
                new long[] { images.Length, 1, 96, 96 }
            );
            float[] expected = (networks.Ensemble.Forward(input) * tensor(scaling.HalfSize) + tensor(scaling.Center))
                .data<float>()
                .ToArray();
            float maxDifference = onnx.SelectMany(r => r).Zip(expected, (o, e) => Math.Abs(o - e)).Max();
            Assert.True(maxDifference <= 1e-3, $"max |ONNX - TorchSharp| = {maxDifference} px");

            string path = Path.Combine(folder, "specialists.onnx");
            model.ExportOnnx(path);
            OnnxChecker.Check(path);
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A specialist whose epoch beat the base weights reports, for that epoch, the RMSE that the saved model
    /// with its test-time flip gets on the group's coordinates (every validation row has every keypoint).</summary>
    private static void AssertEachSpecialistChoseOnTheServedPrediction(KeypointCnnModel model, IDataView validation)
    {
        float[][] predicted = Columns.Vectors(model.Transform(validation), "PredictedKeypoints");
        float[][] labels = Columns.Vectors(validation, "Keypoints");
        int checkedGroups = 0;
        foreach (var group in model.Layout.Groups)
        {
            var best = model.SpecialistHistories[group.Name].Where(h => h.IsBest).MinBy(h => h.ValidationRmse);
            if (best is null)
                continue; // it kept the base weights
            int[] coordinates = group.KeypointIndices.SelectMany(k => new[] { 2 * k, 2 * k + 1 }).ToArray();
            double squared = predicted.Zip(labels, (p, l) => coordinates.Sum(c => Math.Pow(p[c] - l[c], 2))).Sum();
            double rmse = Math.Sqrt(squared / (coordinates.Length * labels.Length));
            Assert.True(
                Math.Abs(best.ValidationRmse - rmse) < 1e-3,
                $"specialist {group.Name}: best epoch {best.ValidationRmse} px, the served model {rmse} px"
            );
            checkedGroups++;
        }
        Assert.True(checkedGroups > 0, "every specialist kept the base weights, so nothing was compared");
    }

    [TierFact(Needs.FaceData)]
    public void Specialist_KeepsTheBaseWeights_WhenFineTuningOnlyMakesValidationWorse()
    {
        var ml = new MLContext(seed: 5);
        var training = SmallFaces.Training(ml, 256);
        var validation = SmallFaces.Validation(ml, 32);
        var baseOnly = SmallRun(validation);
        baseOnly.Specialists.Enabled = false;
        using var baseModel = ml.Keypoints.Trainers.Cnn(baseOnly).Fit(training);
        var diverging = SmallRun(validation);
        // A learning rate this large wrecks every specialist in its first step.
        diverging.Specialists.LearningRate = 1e3;
        using var specialists = ml.Keypoints.Trainers.Cnn(diverging).Fit(training);

        Assert.Equal(6, specialists.Metadata.Networks.Count);
        float[] expected = Columns
            .Vectors(baseModel.Transform(validation), "PredictedKeypoints")
            .SelectMany(r => r)
            .ToArray();
        float[] actual = Columns
            .Vectors(specialists.Transform(validation), "PredictedKeypoints")
            .SelectMany(r => r)
            .ToArray();
        float maxDifference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(
            maxDifference <= 1e-3,
            $"specialists moved predictions by up to {maxDifference} px although every epoch made them worse"
        );
    }

    [TierFact(Needs.FaceData)]
    public void InterruptedSpecialistTraining_ResumesToTheSamePredictionsAsAnUninterruptedRun()
    {
        var ml = new MLContext(seed: 5);
        var training = SmallFaces.Training(ml, 256);
        var validation = SmallFaces.Validation(ml, 32);
        var folder = Directory.CreateTempSubdirectory("keypoints-specialist-resume-");
        try
        {
            KeypointCnnTrainer.Options Run()
            {
                var options = SmallRun(validation);
                options.Specialists.MaxEpochs = 2;
                options.Schedule.EarlyStoppingPatience = 0;
                return options;
            }
            using var uninterrupted = ml.Keypoints.Trainers.Cnn(Run()).Fit(training);

            var crashing = Run();
            crashing.Checkpoints.Folder = folder.FullName;
            crashing.Progress = new CrashInSpecialist("mouth_corners_top_lip", epoch: 1);
            Assert.Throws<SimulatedCrashException>(() => ml.Keypoints.Trainers.Cnn(crashing).Fit(training));

            var resuming = Run();
            resuming.Checkpoints.Folder = folder.FullName;
            resuming.Checkpoints.Resume = true;
            var trained = new List<string>();
            resuming.Progress = new Recorder(trained);
            using var resumed = ml.Keypoints.Trainers.Cnn(resuming).Fit(training);

            Assert.DoesNotContain("base 1", trained);
            Assert.DoesNotContain("eye_centers 1", trained);
            Assert.Equal(
                Columns.Vectors(uninterrupted.Transform(validation), "PredictedKeypoints"),
                Columns.Vectors(resumed.Transform(validation), "PredictedKeypoints")
            );
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void CopyWeights_GivesASpecialistThatPredictsTheBaseNetworksGroupCoordinates()
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(11);
        var input = new NetworkInput(1, 96, 96);
        using var baseNetwork = NetworkFactory.Create(KeypointArchitecture.Conv2, input, 30);
        using var specialist = NetworkFactory.Create(KeypointArchitecture.Conv2, input, 4);
        int[] coordinates = [22, 23, 26, 27];
        SpecialistTrainer.CopyWeights(baseNetwork, specialist, coordinates);
        baseNetwork.eval();
        specialist.eval();

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var images = rand(4, 1, 96, 96);
        var fromBase = baseNetwork.forward(images).index_select(1, tensor(coordinates.Select(c => (long)c).ToArray()));
        var fromSpecialist = specialist.forward(images);
        Assert.True(
            fromBase.allclose(fromSpecialist, rtol: 0, atol: 1e-6),
            "the specialist starts from other predictions than the base network's"
        );
        Assert.True(fromBase.std().item<float>() > 0, "the test compares constant outputs");
    }

    private sealed class SimulatedCrashException : Exception;

    private sealed class CrashInSpecialist(string group, int epoch) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            if (value.Specialist == group && value.Epoch == epoch)
                throw new SimulatedCrashException();
        }
    }

    private sealed class Recorder(List<string> trained) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => trained.Add($"{value.Specialist ?? "base"} {value.Epoch}");
    }
}
