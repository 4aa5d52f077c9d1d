using Google.Protobuf;
using Keypoints.MLNet.Onnx.Proto;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Rewrites an ONNX model so that it stores its large float32 weights in a smaller element type
/// (<see cref="OnnxWeightFormat"/>), each widened back to float32 by a node whose output has the weight's original
/// name: the rest of the graph, its inputs, outputs and metadata are unchanged, and every operator still computes in
/// float32.
/// </summary>
/// <remarks>
/// <para>
/// A weight is a float32 initializer of rank 2 or more with at least <see cref="MinimumElements"/> elements that is not
/// also a graph input; smaller and rank-1 tensors (biases, batch-norm statistics, constants) stay float32, as do
/// weights already compressed. Why: docs/decisions.md#weight-compression.
/// </para>
/// <para>
/// The forms written, for a weight <c>W</c> of dimensions <c>[d0, ...]</c> (the new nodes come first in the node list,
/// as they read only initializers, and are named after the weight so that a name scope such as <c>tta/</c> covers
/// them):
/// </para>
/// <list type="bullet">
/// <item><see cref="OnnxWeightFormat.Float16"/>: node <c>W.float16/Constant</c>, whose <c>value</c> is the FLOAT16
/// tensor (round to nearest even), → <c>W.float16</c>, and node <c>W/Cast</c>, <c>Cast(to = FLOAT)</c> → <c>W</c>. A
/// weight with a magnitude beyond float16's range (65504) stays float32.</item>
/// <item><see cref="OnnxWeightFormat.Int8"/>: initializers <c>W.int8</c> (INT8, <c>round(w / s)</c> in [-127, 127]) and
/// <c>W.scale</c> (FLOAT <c>[d0, 1, ...]</c>, <c>s = max |w| / 127</c> over each slice of axis 0, 1 for an all-zero
/// slice), node
/// <c>W.unscaled/Cast</c>, <c>Cast(to = FLOAT)</c> → <c>W.unscaled</c>, and node <c>W/Mul</c>, <c>W.unscaled *
/// W.scale</c> → <c>W</c> (what a per-axis <c>DequantizeLinear</c> with axis 0 and zero point 0 computes).</item>
/// </list>
/// </remarks>
internal static class OnnxWeightCompression
{
    /// <summary>The smallest element count of a weight that is compressed.</summary>
    public const int MinimumElements = 256;

    private const int Int8Limit = 127;

    /// <summary>The model with its weights stored as <paramref name="format"/> says; for <see
    /// cref="OnnxWeightFormat.Float32"/>, a copy of the bytes.</summary>
    /// <param name="model">The ONNX model bytes.</param>
    /// <param name="format">How to store the weights.</param>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model, or a new tensor name is
    /// taken.</exception>
    public static byte[] Apply(ReadOnlyMemory<byte> model, OnnxWeightFormat format)
    {
        if (!Enum.IsDefined(format))
            throw new ArgumentOutOfRangeException(nameof(format), format, $"Unknown weight format {format}.");
        if (format == OnnxWeightFormat.Float32)
            return model.ToArray();
        var proto = OnnxModelReader.Parse(model);
        var graph = proto.Graph ?? throw new InvalidDataException("The model has no graph.");
        var names = graph
            .Initializer.Select(t => t.Name)
            .Concat(graph.Input.Select(i => i.Name))
            .Concat(graph.Node.SelectMany(n => n.Output))
            .ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var initializers = new List<TensorProto>();
        var widening = new List<NodeProto>();
        foreach (var tensor in graph.Initializer)
        {
            var compressed = IsWeight(tensor, inputs) ? Compress(tensor, format) : null;
            if (compressed is null)
            {
                initializers.Add(tensor);
                continue;
            }
            foreach (string name in compressed.Names)
            {
                if (!names.Add(name))
                {
                    throw new InvalidDataException(
                        $"Cannot store weight '{tensor.Name}' as {format}: the model already has a tensor named "
                            + $"'{name}'."
                    );
                }
            }
            initializers.AddRange(compressed.Initializers);
            widening.AddRange(compressed.Nodes);
        }
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);
        widening.AddRange(graph.Node);
        graph.Node.Clear();
        graph.Node.AddRange(widening);
        return proto.ToByteArray();
    }

    // At least two dimensions above 1: a kernel or a matrix, never the [C, 1, 1, 1] scales of an int8 weight, which a
    // second export would otherwise compress again.
    private static bool IsWeight(TensorProto tensor, HashSet<string> inputs) =>
        tensor.DataType == (int)TensorProto.Types.DataType.Float
        && tensor.Dims.Count(d => d > 1) >= 2
        && tensor.Dims.Aggregate(1L, (product, d) => product * d) >= MinimumElements
        && !inputs.Contains(tensor.Name);

    private static Compressed? Compress(TensorProto tensor, OnnxWeightFormat format)
    {
        var (dims, values) = OnnxTensorValues.Decode(tensor);
        return format == OnnxWeightFormat.Float16
            ? ToFloat16(tensor.Name, dims, values)
            : ToInt8(tensor.Name, dims, values);
    }

    private static Compressed? ToFloat16(string name, long[] dims, float[] values)
    {
        if (Array.Exists(values, v => float.IsFinite(v) && Math.Abs(v) > (float)Half.MaxValue))
            return null;
        var halves = Array.ConvertAll(values, v => (Half)v);
        string stored = name + ".float16";
        var constant = Node(
            "Constant",
            stored,
            [],
            OnnxAttribute.Tensor("value", OnnxTensor.Float16("", halves, dims))
        );
        var cast = Node("Cast", name, [stored], OnnxAttribute.Int("to", (long)TensorProto.Types.DataType.Float));
        return new Compressed([], [constant, cast], [stored]);
    }

    private static Compressed ToInt8(string name, long[] dims, float[] values)
    {
        int channels = checked((int)dims[0]);
        int perChannel = values.Length / channels;
        float[] scales = new float[channels];
        sbyte[] quantized = new sbyte[values.Length];
        for (int c = 0; c < channels; c++)
        {
            var slice = values.AsSpan(c * perChannel, perChannel);
            float largest = 0;
            foreach (float v in slice)
                largest = Math.Max(largest, Math.Abs(v));
            scales[c] = largest > 0 ? largest / Int8Limit : 1f;
            for (int i = 0; i < perChannel; i++)
            {
                quantized[(c * perChannel) + i] = (sbyte)
                    Math.Clamp(MathF.Round(slice[i] / scales[c]), -Int8Limit, Int8Limit);
            }
        }
        var stored = OnnxTensor.Int8(name + ".int8", quantized, dims);
        long[] scaleDims = new long[dims.Length];
        Array.Fill(scaleDims, 1L);
        scaleDims[0] = channels;
        var scale = OnnxTensor.Float(name + ".scale", scales, scaleDims);
        string unscaled = name + ".unscaled";
        var cast = Node(
            "Cast",
            unscaled,
            [stored.Name],
            OnnxAttribute.Int("to", (long)TensorProto.Types.DataType.Float)
        );
        var mul = Node("Mul", name, [unscaled, scale.Name]);
        return new Compressed([stored, scale], [cast, mul], [stored.Name, scale.Name, unscaled]);
    }

    /// <summary>A weight's compressed form: the initializers and nodes that replace it, and the new tensor
    /// names.</summary>
    private sealed record Compressed(TensorProto[] Initializers, NodeProto[] Nodes, string[] Names);

    private static NodeProto Node(string opType, string output, string[] inputs, params OnnxAttribute[] attributes)
    {
        var node = new NodeProto { Name = $"{output}/{opType}", OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes.Select(a => a.Proto));
        return node;
    }
}
