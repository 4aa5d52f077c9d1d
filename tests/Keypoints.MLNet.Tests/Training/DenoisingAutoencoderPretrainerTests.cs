using Keypoints.MLNet.Data;
using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Runtime;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>Denoising-autoencoder pre-training trains the convolutional trunk only, repeatably, and not again on
/// resume.</summary>
[Collection(GlobalRandomGenerator.Name)]
public sealed class DenoisingAutoencoderPretrainerTests : IDisposable
{
    private static readonly NetworkInput Faces = new(1, 96, 96);

    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("keypoints-pretraining-");

    private static KeypointCnnTrainer.Options Options(int pretrainingEpochs) =>
        new()
        {
            Architecture = KeypointArchitecture.Conv2,
            Seed = 7,
            ValidationFraction = 0,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = 1, BatchSize = 32 },
            TimeBudget = { MaxTrainingTime = null },
            Pretraining = { Epochs = pretrainingEpochs },
        };

    private static TrainingData Images(int rows)
    {
        var ml = new MLContext();
        var columns = new KeypointTrainingOptions
        {
            Architecture = KeypointArchitecture.ConvNet3,
            FeatureColumnName = FkdCsv.ImageColumnName,
            LabelColumnName = FkdCsv.KeypointsColumnName,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            TimeBudget = { MaxTrainingTime = null },
        };
        return TrainingData.Read(
            SmallFaces.Training(ml, rows),
            columns,
            Faces,
            new CoordinateScaling(KeypointLayout.Kaggle15),
            dropIncomplete: false
        );
    }

    private static KeypointNetwork Network(KeypointArchitecture architecture)
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(3);
        return NetworkFactory.Create(architecture, Faces, KeypointLayout.Kaggle15.CoordinateCount);
    }

    private static Dictionary<string, Tensor> Weights(KeypointNetwork network) =>
        network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    [TierFact(Needs.FaceData)]
    public void Run_LowersTheReconstructionError_OnRealFaces()
    {
        using var network = Network(KeypointArchitecture.ConvNet3);
        var options = Options(4);
        var reports = new DenoisingAutoencoderPretrainer(network, options, CPU, _ => { }).Run(Images(300), seed: 1);
        Assert.Equal([1, 2, 3, 4], reports.Select(r => r.Epoch));
        Assert.True(
            reports[^1].ReconstructionMse < 0.5 * reports[0].ReconstructionMse,
            $"reconstruction MSE went from {reports[0].ReconstructionMse} to {reports[^1].ReconstructionMse}"
        );
    }

    [TierFact(Needs.FaceData)]
    public void Run_ChangesTheTrunk_AndLeavesTheDenseLayersAlone()
    {
        using var network = Network(KeypointArchitecture.Conv2);
        var before = Weights(network);
        new DenoisingAutoencoderPretrainer(network, Options(1), CPU, _ => { }).Run(Images(64), seed: 1);
        var after = Weights(network);
        foreach (string? name in new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias" })
            Assert.False(before[name].equal(after[name]).all().item<bool>(), $"{name} did not change");
        foreach (string? name in after.Keys.Where(n => !n.StartsWith("conv", StringComparison.Ordinal)))
            Assert.True(before[name].equal(after[name]).all().item<bool>(), $"{name} changed");
    }

    [TierFact(Needs.FaceData)]
    public void Run_WithTheSameSeed_GivesIdenticalWeights()
    {
        var images = Images(64);
        using var first = Network(KeypointArchitecture.Conv2);
        using var second = Network(KeypointArchitecture.Conv2);
        // Same starting weights without relying on the global generator, which tests in other classes share.
        second.load_state_dict(Weights(first));
        new DenoisingAutoencoderPretrainer(first, Options(1), CPU, _ => { }).Run(images, seed: 9);
        new DenoisingAutoencoderPretrainer(second, Options(1), CPU, _ => { }).Run(images, seed: 9);
        var a = Weights(first);
        var b = Weights(second);
        Assert.All(a, kv => Assert.True(kv.Value.equal(b[kv.Key]).all().item<bool>(), $"{kv.Key} differs"));
    }

    [TierFact(Needs.FaceData)]
    public void Fit_PretrainsOnce_AndNotAgainWhenItResumesFromACheckpoint()
    {
        var ml = new MLContext();
        var data = SmallFaces.Training(ml, 64);
        var logged = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Source.Contains(nameof(KeypointCnnTrainer), StringComparison.Ordinal))
                logged.Add(e.RawMessage);
        };
        var pretrained = new List<int>();
        var first = Options(1);
        first.Checkpoints.Folder = folder.FullName;
        first.Pretraining.Progress = new Recorder(pretrained);
        ml.Keypoints.Trainers.Cnn(first).Fit(data).Dispose();
        Assert.Equal([1], pretrained);
        Assert.Contains(logged, m => m.StartsWith("pretraining epoch 1: reconstruction MSE", StringComparison.Ordinal));

        var resuming = Options(1);
        resuming.Schedule.MaxEpochs = 2;
        resuming.Checkpoints.Folder = folder.FullName;
        resuming.Checkpoints.Resume = true;
        resuming.Pretraining.Progress = new Recorder(pretrained);
        using var resumed = ml.Keypoints.Trainers.Cnn(resuming).Fit(data);
        Assert.Equal([1], pretrained);
        Assert.Equal([1, 2], resumed.History.Select(h => h.Epoch));
    }

    [TierFact(Needs.FaceData)]
    public void Resume_RefusesACheckpointOfARunWithoutPretraining()
    {
        var ml = new MLContext();
        var data = SmallFaces.Training(ml, 64);
        var plain = Options(0);
        plain.Checkpoints.Folder = folder.FullName;
        ml.Keypoints.Trainers.Cnn(plain).Fit(data).Dispose();

        var pretraining = Options(1);
        pretraining.Checkpoints.Folder = folder.FullName;
        pretraining.Checkpoints.Resume = true;
        var error = Assert.Throws<InvalidOperationException>(() => ml.Keypoints.Trainers.Cnn(pretraining).Fit(data));
        Assert.Contains("pretraining 1 epochs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_RejectPretraining_ForTheMlp()
    {
        var options = Options(1);
        options.Architecture = KeypointArchitecture.Mlp;
        var ml = new MLContext();
        var error = Assert.Throws<ArgumentException>(() =>
            ml.Keypoints.Trainers.Cnn(options).Fit(DrawnFaces.Training(ml, 8))
        );
        Assert.Contains("Mlp has none", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => folder.Delete(recursive: true);

    private sealed class Recorder(List<int> epochs) : IProgress<PretrainingReport>
    {
        public void Report(PretrainingReport value) => epochs.Add(value.Epoch);
    }
}
