using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Runtime;
using Keypoints.MLNet.Tests.Onnx;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML;
using Microsoft.ML.OnnxRuntime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Networks;

/// <summary>Every architecture, exported to ONNX, computes in ONNX Runtime what its TorchSharp module computes in eval
/// mode.</summary>
public sealed class NetworkOnnxParityTests
{
    private const int Batch = 8;
    private const int Side = 96;
    private const int Pixels = Side * Side;
    private const double TolerancePixels = 1e-3;
    private const double Float16TolerancePerSpread = 1e-3;
    private const double Int8TolerancePerSpread = 3e-2;

    // Read once: loading the CSV costs more than the small networks' forward passes.
    private static readonly Lazy<float[]> Faces = new(ReadFaces);

    /// <summary>Every architecture with Kaggle's 15 points and with the 68 of iBUG: a convolution's output channels
    /// decide which oneDNN kernel runs (docs/decisions.md#channels-last-convolutions).</summary>
    public static TheoryData<KeypointArchitecture, string> ArchitecturesAndLayouts
    {
        get
        {
            var data = new TheoryData<KeypointArchitecture, string>();
            foreach (var architecture in Enum.GetValues<KeypointArchitecture>())
            {
                data.Add(architecture, nameof(KeypointLayout.Kaggle15));
                data.Add(architecture, nameof(KeypointLayout.Ibug68));
            }
            return data;
        }
    }

    [TierTheory(Needs.OnnxChecker)]
    [MemberData(nameof(ArchitecturesAndLayouts))]
    public void OnnxGraph_MatchesEvalForward_On8RealFaces_Within1e3Pixels(
        KeypointArchitecture architecture,
        string layoutName
    )
    {
        TorchRuntime.EnsureInitialized();
        var layout = layoutName == nameof(KeypointLayout.Ibug68) ? KeypointLayout.Ibug68 : KeypointLayout.Kaggle15;
        var scaling = new CoordinateScaling(layout);
        manual_seed(3);
        using var network = NetworkFactory.Create(
            architecture,
            new NetworkInput(1, Side, Side),
            layout.CoordinateCount
        );
        GiveBatchNormsTrainedState(network);
        SharpenHeatmaps(network);
        network.eval();

        float[] images = Faces.Value;
        byte[] graph = KeypointGraphExporter.Export(KeypointEnsemble.Single(network), GreyModelMetadata.For(layout));
        float[] onnx = RunOnnxRuntime(graph, images, layout.CoordinateCount);
        float[] expected = ForwardInPixels(network, scaling, images);

        float maxDifference = expected.Zip(onnx, (e, o) => Math.Abs(e - o)).Max();
        Assert.True(
            maxDifference <= TolerancePixels,
            $"{architecture}, {layoutName}: max |ONNX - TorchSharp| = {maxDifference} px"
        );
        // A graph that ignored the image would pass on one face; these faces must get different answers.
        float[] firstX = Enumerable.Range(0, Batch).Select(r => onnx[r * layout.CoordinateCount]).ToArray();
        Assert.True(
            firstX.Max() - firstX.Min() > 1e-3,
            $"{architecture}: the first coordinate is {firstX[0]} px for every face"
        );
        OnnxChecker.Check(graph);
    }

    /// <summary>Float16 rounds each weight by at most 2^-11 (5e-4) of itself, int8 by at most 1/254 (4e-3) of its
    /// output channel's largest weight. An untrained network's predictions spread over 6 to 225 pixels (the ImageNet
    /// trunk with a random head spreads most), and the rounding moves them in proportion: measured, float16 by at most
    /// 2.4e-4 of the spread (0.0068 px of the MLP's 28, 0.046 px of ResNet18Pretrained's 225), int8 by at most 1.5e-2
    /// (0.09 px of the MLP's 28, 0.05 px of ResNet18's 30, 3.4 px of ResNet18Pretrained's 225). The tolerances leave
    /// about four and two times that. What trained models lose is measured by the benchmark's <c>--weights</c> mode
    /// (README).</summary>
    [TierTheory(Needs.OnnxChecker)]
    [MemberData(nameof(CompressedArchitectures.All), MemberType = typeof(CompressedArchitectures))]
    public void CompressedWeights_ScoreAsTheFloat32Graph_WithinTheFormatsRounding(
        KeypointArchitecture architecture,
        OnnxWeightFormat format
    )
    {
        TorchRuntime.EnsureInitialized();
        var layout = KeypointLayout.Kaggle15;
        manual_seed(3);
        using var network = NetworkFactory.Create(
            architecture,
            new NetworkInput(1, Side, Side),
            layout.CoordinateCount
        );
        GiveBatchNormsTrainedState(network);
        network.eval();
        byte[] graph = KeypointGraphExporter.Export(KeypointEnsemble.Single(network), GreyModelMetadata.For(layout));

        byte[] compressed = OnnxWeightCompression.Apply(graph, format);
        float[] expected = RunOnnxRuntime(graph, Faces.Value, layout.CoordinateCount);
        float[] actual = RunOnnxRuntime(compressed, Faces.Value, layout.CoordinateCount);

        float maxDifference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        double spread = expected.Max() - expected.Min();
        double tolerance =
            spread * (format == OnnxWeightFormat.Float16 ? Float16TolerancePerSpread : Int8TolerancePerSpread);
        Assert.True(
            maxDifference <= tolerance,
            $"{architecture}, {format}: max |compressed - float32| = {maxDifference} px, predictions spread over "
                + $"{spread} px"
        );
        Assert.True(
            compressed.Length < graph.Length * (format == OnnxWeightFormat.Float16 ? 0.6 : 0.35),
            $"{architecture}, {format}: {compressed.Length} bytes against {graph.Length}"
        );
        OnnxChecker.Check(compressed);
    }

    /// <summary>Without this, batch norm would hold its initial state (scale 1, shift 0, mean 0, variance 1), in which
    /// swapped or ignored parameters go unnoticed: random scales and shifts, and running statistics from a few
    /// training-mode passes over noise, make each of the four distinct.</summary>
    private static void GiveBatchNormsTrainedState(KeypointNetwork network)
    {
        var norms = network.modules().OfType<BatchNorm2d>().ToList();
        if (norms.Count == 0)
            return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var norm in norms)
        {
            norm.weight.uniform_(0.5, 1.5);
            norm.bias!.uniform_(-0.2, 0.2);
        }
        network.train();
        for (int pass = 0; pass < 3; pass++)
            network.forward(rand(Batch, 1, Side, Side));
        Assert.All(norms, n => Assert.NotEqual(0f, n.running_mean!.abs().sum().item<float>()));
    }

    /// <summary>An untrained integral head's heatmaps are nearly flat, and every soft-argmax lies near the image's
    /// centre whatever the cells' order: larger heatmap weights make them peak, as trained ones do.</summary>
    private static void SharpenHeatmaps(KeypointNetwork network)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in network.named_parameters())
        {
            if (name.Contains("heatmaps", StringComparison.Ordinal))
                parameter.mul_(50);
        }
    }

    private static float[] ForwardInPixels(KeypointNetwork network, CoordinateScaling scaling, float[] images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(images, new long[] { Batch, 1, Side, Side }) / 255f;
        var pixels = network.forward(input) * tensor(scaling.HalfSize) + tensor(scaling.Center);
        return pixels.data<float>().ToArray();
    }

    private static float[] RunOnnxRuntime(byte[] model, float[] images, int coordinates)
    {
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(images, [Batch, Pixels]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["Image"], [input], ["PredictedKeypoints"]);
        Assert.Equal([Batch, coordinates], results[0].GetTensorTypeAndShape().Shape);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float[] ReadFaces()
    {
        float[][] faces = Columns.Vectors(DrawnFaces.Validation(new MLContext(1), Batch), "Image");
        Assert.Equal(Batch, faces.Length);
        return faces.SelectMany(f => f).ToArray();
    }
}
