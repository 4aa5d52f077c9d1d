using System.Text;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Runtime;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// The weights of one network inside a keypoint model's ONNX graph, read back into a fresh TorchSharp network so that
/// training can start from them (fine-tuning).
/// </summary>
/// <remarks>
/// <see cref="OnnxLayerWriter"/> writes every weight unchanged: a convolution's <c>[out, in, kh, kw]</c> weight and
/// bias, a linear layer's <c>[out, in]</c> weight (Gemm with <c>transB = 1</c>, not transposed) and bias, and a batch
/// norm's scale, shift, running mean and running variance (kept, not folded into the convolution). Each initializer is
/// named after the module's state-dict key with every field name in snake case (<c>stemBn.running_mean</c> is written
/// <c>stem_bn.running_mean</c>,
/// <c>blocks.3.downsampleBn.weight</c> <c>blocks.3.downsample_bn.weight</c>), under the prefix that the ensemble's
/// initializer scope and the test-time flip wrapper put before it (<c>base/</c>, <c>tta/</c>, <c>tta/base/</c>). Batch
/// norm's
/// <c>num_batches_tracked</c> counter is not exported; it only matters to a batch norm without momentum, and this
/// project's have one. A graph exported with compressed weights (<c>ExportOnnx(path, OnnxWeightFormat.Float16)</c> or
/// <c>Int8</c>) holds a large weight as a float16 or int8 constant widened to float32 under the same name;
/// <see cref="OnnxModelReader.ReadFloatConstant"/> widens it the same way, so fine-tuning starts from the weights the
/// file scores with.
/// </remarks>
internal sealed class NetworkWeights
{
    private const string BatchCounterSuffix = ".num_batches_tracked";

    private readonly OnnxModelReader graph;
    private readonly Dictionary<string, (long[] Dims, float[] Values)?> read = new(StringComparer.Ordinal);

    /// <summary>Reads the weights of the network whose initializers are named <c>{prefix}name</c> in <paramref
    /// name="graph"/>.</summary>
    /// <param name="graph">The ONNX model bytes of a keypoint model.</param>
    /// <param name="prefix">The prefix of the wanted network's initializers, empty or ending in <c>/</c>, for example
    /// <c>tta/base/</c>.</param>
    /// <param name="source">What the graph is, for error messages (for example a file name).</param>
    public NetworkWeights(ReadOnlyMemory<byte> graph, string prefix, string source)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(source);
        this.graph = new OnnxModelReader(graph);
        Prefix = prefix;
        Source = source;
        ContentHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(graph.Span))[..16];
    }

    /// <summary>The first 16 hex digits of the graph's SHA-256: which weights a run started from, for its
    /// checkpoints.</summary>
    public string ContentHash { get; }

    /// <summary>The prefix of the network's initializer names.</summary>
    public string Prefix { get; }

    /// <summary>What the graph is, as error messages name it.</summary>
    public string Source { get; }

    /// <summary>The initializer name under which the exporter writes the state-dict entry <paramref
    /// name="stateDictKey"/> (without the prefix): every dot-separated part in snake case.</summary>
    public static string InitializerName(string stateDictKey)
    {
        ArgumentNullException.ThrowIfNull(stateDictKey);
        var name = new StringBuilder(stateDictKey.Length + 4);
        for (int i = 0; i < stateDictKey.Length; i++)
        {
            char c = stateDictKey[i];
            if (
                char.IsUpper(c)
                && i > 0
                && char.IsLetterOrDigit(stateDictKey[i - 1])
                && !char.IsUpper(stateDictKey[i - 1])
            )
            {
                name.Append('_');
            }

            name.Append(char.ToLowerInvariant(c));
        }
        return name.ToString();
    }

    /// <summary>The architecture whose every weight the graph holds with the same shape (a model's metadata does not
    /// name it). Should two architectures have the same weights, <paramref name="preferred"/> wins when it is one of
    /// them, else the first in declaration order.
    /// Builds a network of every architecture, which draws from TorchSharp's random generator: call it before
    /// seeding.</summary>
    /// <param name="input">The model's input geometry.</param>
    /// <param name="outputs">The model's number of coordinates, <c>2K</c>.</param>
    /// <param name="preferred">The architecture to take when it fits.</param>
    /// <exception cref="InvalidDataException">No architecture fits; the message says, for each, the first weight that
    /// does not.</exception>
    public KeypointArchitecture FindArchitecture(NetworkInput input, int outputs, KeypointArchitecture preferred)
    {
        // The first TorchSharp call of a fine-tuning run: where TorchSharp's native library cannot load as shipped (a
        // notebook kernel loading it from the NuGet cache on Debian 12), the runtime loads its patched copy first.
        TorchRuntime.EnsureInitialized();
        var reasons = new List<string>();
        var fitting = new List<KeypointArchitecture>();
        foreach (var architecture in Enum.GetValues<KeypointArchitecture>())
        {
            // Building a ResNet18Pretrained reads the ImageNet weights from a package the app may not reference; only a
            // graph with its ImageNet pixel means can hold one.
            if (
                architecture == KeypointArchitecture.ResNet18Pretrained
                && graph.ReadFloatConstant(Prefix + ResNet18Pretrained.PixelMeanInitializer) is null
            )
            {
                reasons.Add($"{architecture}: no initializer '{Prefix}{ResNet18Pretrained.PixelMeanInitializer}'.");
                continue;
            }
            string? mismatch;
            try
            {
                using var network = NetworkFactory.Create(architecture, input, outputs);
                mismatch = Mismatch(network);
            }
            catch (ArgumentException e)
            {
                mismatch = e.Message;
            }
            if (mismatch is null)
                fitting.Add(architecture);
            else
                reasons.Add($"{architecture}: {mismatch}");
        }
        if (fitting.Count == 0)
        {
            throw new InvalidDataException(
                $"The weights in {Source} (initializers '{Prefix}...') fit no architecture for {input.Channels} x "
                    + $"{input.Height} x {input.Width} "
                    + $"images and {outputs} outputs: {string.Join(" ", reasons)}"
            );
        }

        return fitting.Contains(preferred) ? preferred : fitting[0];
    }

    /// <summary>Copies the weights into <paramref name="network"/>, every state-dict entry (but the batch
    /// counters).</summary>
    /// <exception cref="InvalidDataException">The graph lacks a weight of the network or holds it in another shape; the
    /// message names the weight, the initializer, both shapes and the network.</exception>
    public void CopyTo(KeypointNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (Mismatch(network) is { } mismatch)
        {
            throw new InvalidDataException(
                $"The weights in {Source} do not fit a {network.GetName()} network for "
                    + $"{network.Input.Channels} x {network.Input.Height} x {network.Input.Width} images and "
                    + $"{network.Outputs} outputs: {mismatch}"
            );
        }

        using var noGrad = no_grad();
        foreach (var (key, target) in network.state_dict())
        {
            if (key.EndsWith(BatchCounterSuffix, StringComparison.Ordinal))
                continue;
            var (dims, values) = Read(key)!.Value;
            using var source = tensor(values, dims);
            target.copy_(source);
        }
    }

    /// <summary>The first state-dict entry the graph lacks or holds in another shape, or null when every one
    /// fits.</summary>
    private string? Mismatch(KeypointNetwork network)
    {
        foreach (var (key, target) in network.state_dict())
        {
            if (key.EndsWith(BatchCounterSuffix, StringComparison.Ordinal))
                continue;
            string name = Prefix + InitializerName(key);
            if (Read(key) is not var (dims, _))
                return $"weight '{key}' {Shape(target.shape)} has no initializer '{name}'.";
            if (!dims.SequenceEqual(target.shape))
                return $"weight '{key}' is {Shape(target.shape)} but initializer '{name}' is {Shape(dims)}.";
        }
        return null;
    }

    private (long[] Dims, float[] Values)? Read(string key)
    {
        if (!read.TryGetValue(key, out var weight))
        {
            weight = graph.ReadFloatConstant(Prefix + InitializerName(key));
            read[key] = weight;
        }
        return weight;
    }

    private static string Shape(long[] dims) => "[" + string.Join(", ", dims) + "]";
}
