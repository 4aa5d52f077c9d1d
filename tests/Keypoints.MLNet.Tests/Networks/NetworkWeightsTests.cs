using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Networks;

/// <summary>A network's weights read back from an exported keypoint graph are the weights that were exported, from the
/// base network's scope only, and a graph of another network fails with a message naming the weight.</summary>
[Collection(GlobalRandomGenerator.Name)]
public sealed class NetworkWeightsTests
{
    private const int Side = 40;
    private static readonly KeypointLayout Layout = KeypointLayout.Kaggle15.WithImageSize(Side, Side);
    private static readonly NetworkInput Input = new(1, Side, Side);

    public static TheoryData<KeypointArchitecture> Architectures => new(Enum.GetValues<KeypointArchitecture>());

    [Theory]
    [MemberData(nameof(Architectures))]
    public void CopyTo_GivesAFreshNetworkEveryExportedWeight_WithTestTimeFlip(KeypointArchitecture architecture)
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(1);
        using var trained = Create(architecture);
        using var ensemble = KeypointEnsemble.Single(trained);
        byte[] graph = KeypointGraphExporter.Export(ensemble, GreyModelMetadata.For(Layout, testTimeFlip: true));

        var weights = new NetworkWeights(graph, TestTimeFlipGraph.Scope + "/", "the test graph");
        var found = weights.FindArchitecture(Input, Layout.CoordinateCount, architecture);
        Assert.Equal(architecture, found);
        manual_seed(2);
        using var fresh = Create(architecture);
        weights.CopyTo(fresh);

        AssertSameWeights(trained, fresh);
    }

    /// <summary>A compressed graph gives back float16 weights exactly as float16 rounds them, int8 weights within half
    /// a scale step of their output channel (1/254 of its largest magnitude), and everything left float32
    /// exactly.</summary>
    [Theory]
    [MemberData(nameof(CompressedArchitectures.All), MemberType = typeof(CompressedArchitectures))]
    public void CopyTo_GivesBackCompressedWeights_WithinTheFormatsRounding_WithTestTimeFlip(
        KeypointArchitecture architecture,
        OnnxWeightFormat format
    )
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(1);
        using var trained = Create(architecture);
        using var ensemble = KeypointEnsemble.Single(trained);
        byte[] graph = OnnxWeightCompression.Apply(
            KeypointGraphExporter.Export(ensemble, GreyModelMetadata.For(Layout, testTimeFlip: true)),
            format
        );

        var weights = new NetworkWeights(graph, TestTimeFlipGraph.Scope + "/", "the test graph");
        Assert.Equal(architecture, weights.FindArchitecture(Input, Layout.CoordinateCount, architecture));
        manual_seed(2);
        using var fresh = Create(architecture);
        weights.CopyTo(fresh);

        var got = fresh.state_dict();
        foreach (
            var (key, tensor) in trained
                .state_dict()
                .Where(e => !e.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
        )
        {
            float[] want = tensor.data<float>().ToArray();
            float[] read = got[key].data<float>().ToArray();
            bool compressed = tensor.shape.Length >= 2 && want.Length >= OnnxWeightCompression.MinimumElements;
            if (!compressed)
            {
                Assert.Equal(want, read);
            }
            else if (format == OnnxWeightFormat.Float16)
            {
                Assert.Equal(want.Select(w => (float)(Half)w), read);
            }
            else
            {
                int perChannel = want.Length / (int)tensor.shape[0];
                for (int c = 0; c < tensor.shape[0]; c++)
                {
                    float[] channel = want.AsSpan(c * perChannel, perChannel).ToArray();
                    float halfStep = channel.Max(Math.Abs) / 254 * 1.0001f;
                    float error = channel
                        .Zip(read.AsSpan(c * perChannel, perChannel).ToArray(), (w, r) => Math.Abs(w - r))
                        .Max();
                    Assert.True(
                        error <= halfStep,
                        $"{architecture}: weight '{key}' channel {c} is off by {error}, more than half a step "
                            + $"{halfStep}."
                    );
                }
            }
        }
    }

    [Fact]
    public void CopyTo_ReadsTheBaseNetworksScope_NeverASpecialists()
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(3);
        var baseNetwork = Create(KeypointArchitecture.ConvNet3);
        var specialist = Create(KeypointArchitecture.ConvNet3);
        int[] eyes = [0, 1, 2, 3];
        int[] rest = Enumerable.Range(4, Layout.CoordinateCount - 4).ToArray();
        using var ensemble = new KeypointEnsemble(
            [
                new EnsembleMember("base", baseNetwork, rest, rest),
                new EnsembleMember("specialist_eyes", specialist, eyes, eyes),
            ],
            Layout.CoordinateCount
        );
        byte[] graph = KeypointGraphExporter.Export(ensemble, GreyModelMetadata.For(Layout));

        using var fresh = Create(KeypointArchitecture.ConvNet3);
        new NetworkWeights(graph, "base/", "the test graph").CopyTo(fresh);

        AssertSameWeights(baseNetwork, fresh);
    }

    [Fact]
    public void CopyTo_NamesTheWeightTheInitializerAndTheNetwork_WhenTheGraphHoldsAnotherArchitecture()
    {
        TorchRuntime.EnsureInitialized();
        using var convNet = Create(KeypointArchitecture.ConvNet3);
        var weights = Exported(convNet);
        using var resNet = Create(KeypointArchitecture.ResNet18);

        var error = Assert.Throws<InvalidDataException>(() => weights.CopyTo(resNet));

        Assert.Contains("model.zip", error.Message, StringComparison.Ordinal);
        Assert.Contains("ResNet18", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            "weight 'stem.weight' [32, 1, 7, 7] has no initializer 'stem.weight'",
            error.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void FindArchitecture_SaysWhyEachArchitectureFails_WhenTheOutputsDiffer()
    {
        TorchRuntime.EnsureInitialized();
        using var convNet = Create(KeypointArchitecture.ConvNet3);
        var weights = Exported(convNet);

        var error = Assert.Throws<InvalidDataException>(() =>
            weights.FindArchitecture(Input, 136, KeypointArchitecture.ConvNet3)
        );

        Assert.Contains(
            "fit no architecture for 1 x 40 x 40 images and 136 outputs",
            error.Message,
            StringComparison.Ordinal
        );
        Assert.Contains(
            "ConvNet3: weight 'output.weight' is [136, 500] but initializer 'output.weight' is [30, 500].",
            error.Message,
            StringComparison.Ordinal
        );
        Assert.All(Enum.GetNames<KeypointArchitecture>(), name =>
            Assert.Contains(name + ":", error.Message, StringComparison.Ordinal)
        );
    }

    [Theory]
    [InlineData("conv1.weight", "conv1.weight")]
    [InlineData("stemBn.running_mean", "stem_bn.running_mean")]
    [InlineData("blocks.3.downsampleBn.bias", "blocks.3.downsample_bn.bias")]
    [InlineData("convs.5.weight", "convs.5.weight")]
    public void InitializerName_WritesEveryFieldNameInSnakeCase(string stateDictKey, string expected) =>
        Assert.Equal(expected, NetworkWeights.InitializerName(stateDictKey));

    /// <summary>The weights of <paramref name="network"/>'s graph without test-time flip, from a source called
    /// <c>model.zip</c>.</summary>
    private static NetworkWeights Exported(KeypointNetwork network) =>
        new(
            KeypointGraphExporter.Export(KeypointEnsemble.Single(network), GreyModelMetadata.For(Layout)),
            "",
            "model.zip"
        );

    private static KeypointNetwork Create(KeypointArchitecture architecture)
    {
        var network = NetworkFactory.Create(architecture, Input, Layout.CoordinateCount);
        GiveBatchNormsDistinctState(network);
        network.eval();
        return network;
    }

    /// <summary>Batch norm starts at scale 1, shift 0, mean 0, variance 1, in which swapped or unread statistics go
    /// unnoticed.</summary>
    private static void GiveBatchNormsDistinctState(KeypointNetwork network)
    {
        using var noGrad = no_grad();
        foreach (var norm in network.modules().OfType<BatchNorm2d>())
        {
            norm.weight.uniform_(0.5, 1.5);
            norm.bias!.uniform_(-0.2, 0.2);
            norm.running_mean!.uniform_(-0.5, 0.5);
            norm.running_var!.uniform_(0.5, 2);
        }
    }

    private static void AssertSameWeights(KeypointNetwork expected, KeypointNetwork actual)
    {
        var want = expected.state_dict();
        var got = actual.state_dict();
        Assert.Equal(want.Keys, got.Keys);
        foreach (
            var (key, tensor) in want.Where(e => !e.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal))
        )
        {
            Assert.True(
                tensor.allclose(got[key], rtol: 0, atol: 0),
                $"{expected.GetName()}: weight '{key}' differs after the round trip."
            );
        }
    }
}
