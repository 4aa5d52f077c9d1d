using Keypoints.MLNet.Data;
using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Runtime;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Networks;

/// <summary>The ImageNet ResNet-18: its weights are those of ML.NET's ONNX file, grey input folds the colour filters,
/// and frozen stages do not train. (Its ONNX export is checked with every network in <see
/// cref="NetworkOnnxParityTests"/>.)</summary>
public sealed class ResNet18PretrainedTests
{
    private const int Side = 224;
    private static readonly string ModelsFolder = Path.Combine(
        AppContext.BaseDirectory,
        ImageNetResNet18Weights.ModelsFolder
    );

    [Fact]
    public void ChannelMeans_AreThoseOfMlNetsMeanImage_InRgbOrder()
    {
        var means = ImageNetResNet18Weights.Load(ModelsFolder).ChannelMeans;
        Assert.Equal(new[] { 123.15, 115.90, 103.06 }, means.Select(m => Math.Round(m, 2)));
    }

    [TierFact(Needs.FaceData)]
    public void Features_OfAColourFace_MatchTheImageNetOnnxRunByOnnxRuntime()
    {
        TorchRuntime.EnsureInitialized();
        var weights = ImageNetResNet18Weights.Load(ModelsFolder);
        using var network = new ResNet18Pretrained(new NetworkInput(3, Side, Side), 30, frozenStages: 0, weights);
        network.eval();
        using var scope = NewDisposeScope();
        var face = ColourFace();

        float[] features;
        using (no_grad())
            features = network.Features(face).mean([2, 3]).data<float>().ToArray();
        float[] onnx = RunImageNetOnnx(face, weights.ChannelMeans);

        Assert.Equal(512, onnx.Length);
        float largest = onnx.Max(v => Math.Abs(v));
        float difference = features.Zip(onnx, (t, o) => Math.Abs(t - o)).Max();
        Assert.True(largest > 0.1, $"the ONNX features are all near zero (largest {largest})");
        Assert.True(difference <= 1e-4 * largest, $"max |TorchSharp - ONNX| = {difference}, largest feature {largest}");
    }

    [Fact]
    public void GreyStem_SumsTheColourFilters_AndComputesWhatTheColourStemComputesOnThreeEqualPlanes()
    {
        TorchRuntime.EnsureInitialized();
        var weights = ImageNetResNet18Weights.Load(ModelsFolder);
        using var colour = new ResNet18Pretrained(new NetworkInput(3, 64, 64), 30, frozenStages: 0, weights);
        using var grey = new ResNet18Pretrained(new NetworkInput(1, 64, 64), 30, frozenStages: 0, weights);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var colourFilters = colour.state_dict()["stem.weight"];
        var greyFilters = grey.state_dict()["stem.weight"];
        Assert.Equal([64L, 1, 7, 7], greyFilters.shape);
        Assert.True(greyFilters.allclose(colourFilters.mean([1], keepdim: true) * 3, rtol: 1e-5, atol: 1e-6));

        manual_seed(5);
        var image = rand(2, 1, 64, 64);
        var means = tensor(weights.ChannelMeans.ToArray()).reshape(1, 3, 1, 1) / 255f;
        var fromColour = nn.functional.conv2d(
            (image.expand(-1, 3, -1, -1) - means) * 255f,
            colourFilters,
            null,
            [2, 2],
            [3, 3]
        );
        var fromGrey = nn.functional.conv2d(
            (image - means.mean()) * 255f,
            greyFilters,
            grey.state_dict()["stem.bias"],
            [2, 2],
            [3, 3]
        );
        // Away from the zero padding, whose value differs between the two, the stems agree.
        static Tensor Inner(Tensor x) => x.narrow(2, 2, x.shape[2] - 4).narrow(3, 2, x.shape[3] - 4);
        float difference = (Inner(fromColour) - Inner(fromGrey)).abs().max().item<float>();
        Assert.True(difference <= 1e-3f * fromColour.abs().max().item<float>(), $"max |grey - colour| = {difference}");
    }

    [Fact]
    public void FrozenStages_KeepTheirWeightsAndStatistics_ThroughAnAdamStep_WhileTheRestTrains()
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(9);
        using var network = NetworkFactory.Create(
            KeypointArchitecture.ResNet18Pretrained,
            new NetworkInput(1, 64, 64),
            30,
            frozenStages: 2
        );
        var before = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        using var optimizer = optim.Adam(network.parameters(), 0.01);
        network.train();
        using (var scope = NewDisposeScope())
        {
            optimizer.zero_grad();
            nn.functional.mse_loss(network.forward(rand(8, 1, 64, 64)), rand(8, 30)).backward();
            optimizer.step();
        }

        var after = network.state_dict();
        string[] frozen = ["stem.", "stemBn.", "blocks.0.", "blocks.1.", "blocks.2.", "blocks.3."];
        foreach (
            var (name, value) in before.Where(kv => !kv.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal))
        )
        {
            bool isFrozen = frozen.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));
            Assert.True(
                isFrozen == value.allclose(after[name], rtol: 0, atol: 0),
                $"{name}: frozen {isFrozen}, unchanged {!isFrozen}"
            );
        }
    }

    [Fact]
    public void Create_RefusesFrozenStages_ForANetworkWithoutPretrainedWeights()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            NetworkFactory.Create(KeypointArchitecture.ResNet18, new NetworkInput(1, 64, 64), 30, frozenStages: 1)
        );
        Assert.Contains("ResNet18Pretrained", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainerOptions_RefuseFrozenStages_OutsideZeroToFour_OrWithAnotherArchitecture()
    {
        var ml = new MLContext();
        var data = DrawnFaces.Training(ml, 8);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml
                .Keypoints.Trainers.Cnn(
                    new KeypointCnnTrainer.Options
                    {
                        Architecture = KeypointArchitecture.ResNet18Pretrained,
                        FrozenStages = 5,
                    }
                )
                .Fit(data)
        );
        var error = Assert.Throws<ArgumentException>(() =>
            ml
                .Keypoints.Trainers.Cnn(
                    new KeypointCnnTrainer.Options { Architecture = KeypointArchitecture.Conv2, FrozenStages = 1 }
                )
                .Fit(data)
        );
        Assert.Contains("FrozenStages", error.Message, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    [Trait("Category", "Integration")] // one epoch of the full-width network on 32 faces
    public void Training_WithFrozenStages_ReturnsANetworkWhoseFrozenLayersAreStillImageNets()
    {
        var ml = new MLContext();
        var options = new KeypointTrainingOptions
        {
            Architecture = KeypointArchitecture.ResNet18Pretrained,
            FrozenStages = 3,
            Seed = 4,
            ValidationFraction = 0,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = 1, BatchSize = 16 },
            TimeBudget = { MaxTrainingTime = null },
        };
        using var result = new KeypointTrainingEngine(ml, options).Train(SmallFaces.Training(ml, 32));
        using var fresh = NetworkFactory.Create(
            KeypointArchitecture.ResNet18Pretrained,
            new NetworkInput(1, 96, 96),
            KeypointLayout.Kaggle15.CoordinateCount
        );
        var trained = result.Ensemble.Members[0].Network.state_dict();
        var imageNet = fresh.state_dict();
        Assert.True(trained["blocks.5.conv2.weight"].allclose(imageNet["blocks.5.conv2.weight"], rtol: 0, atol: 0));
        Assert.True(
            trained["blocks.5.bn2.running_mean"].allclose(imageNet["blocks.5.bn2.running_mean"], rtol: 0, atol: 0)
        );
        Assert.False(trained["blocks.6.conv1.weight"].allclose(imageNet["blocks.6.conv1.weight"], rtol: 0, atol: 0));
    }

    /// <summary>A Kaggle face scaled to 224 x 224, its three planes scaled differently so that a swapped channel order
    /// shows.</summary>
    private static Tensor ColourFace()
    {
        float[] pixels = Columns.Vectors(SmallFaces.Validation(new MLContext(1), 1), FkdCsv.ImageColumnName)[0];
        var grey = nn.functional.interpolate(
            tensor(pixels, [1, 1, 96, 96]) / 255f,
            [Side, Side],
            mode: InterpolationMode.Bilinear
        );
        return cat([grey, grey * 0.8f, grey * 0.6f + 0.3f], 1);
    }

    /// <summary>ML.NET's ResNet-18 graph on <paramref name="face"/> prepared as its preprocessing graph does (BGR
    /// planes of 0-255 minus the mean), with each channel's mean in place of the 224 x 224 mean image.</summary>
    private static float[] RunImageNetOnnx(Tensor face, IReadOnlyList<float> rgbMeans)
    {
        var bgr = face.flip(1) * 255f - tensor(rgbMeans.Reverse().ToArray()).reshape(1, 3, 1, 1);
        float[] input = bgr.contiguous().data<float>().ToArray();
        using var session = new InferenceSession(Path.Combine(ModelsFolder, "ResNet18Onnx", "ResNet18.onnx"));
        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, Side, Side]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, [session.InputNames[0]], [value], [session.OutputNames[0]]);
        Assert.Equal([1L, 512, 1, 1], results[0].GetTensorTypeAndShape().Shape);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
