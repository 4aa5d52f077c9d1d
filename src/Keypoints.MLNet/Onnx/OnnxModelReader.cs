using Google.Protobuf;
using Keypoints.MLNet.Onnx.Proto;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Reads what the library needs back from an ONNX model: the metadata properties, the operator, inputs and outputs of
/// each node in graph order, and float32 constants (weights) by name.
/// </summary>
/// <remarks>
/// The bytes are parsed as an <c>onnx.ModelProto</c> (the classes generated from <c>onnx.proto</c>); tensors are
/// decoded by
/// <see cref="OnnxTensorValues"/>.
/// </remarks>
internal sealed class OnnxModelReader
{
    private readonly ModelProto model;
    private readonly Dictionary<string, TensorProto> initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeProto> producers = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="model"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed protobuf message.</exception>
    public OnnxModelReader(ReadOnlyMemory<byte> model)
    {
        this.model = Parse(model);
        Metadata = this
            .model.MetadataProps.GroupBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        Nodes = (this.model.Graph?.Node ?? [])
            .Select(n =>
                (n.OpType, (IReadOnlyList<string>)n.Input.ToArray(), (IReadOnlyList<string>)n.Output.ToArray())
            )
            .ToArray();
        foreach (var tensor in this.model.Graph?.Initializer ?? [])
            this.initializers[tensor.Name] = tensor;
        foreach (var node in this.model.Graph?.Node ?? [])
        {
            foreach (string? output in node.Output.Where(o => o.Length > 0))
                producers[output] = node;
        }
    }

    /// <summary>The model's metadata properties (<c>metadata_props</c>), by key.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The graph's nodes in graph order: the operator and the names of the tensors read and written.</summary>
    public IReadOnlyList<(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs)> Nodes { get; }

    /// <summary>Decodes the float32 constant <paramref name="name"/>: a float32 initializer, or a weight that
    /// <see cref="OnnxWeightCompression"/> stores compressed, the output of a <c>Cast</c> to float of a float16 or
    /// 8-bit constant, or of a <c>Mul</c> of two such constants (one broadcast to the other's shape), computed as ONNX
    /// does; a constant is an initializer or the value of a <c>Constant</c> node.</summary>
    /// <returns>The dimensions and the elements in row-major order; null when no initializer and no such node has that
    /// name.</returns>
    /// <exception cref="InvalidDataException">An initializer of that name is not float32, its data is stored outside
    /// the model, its element count does not match its dimensions, or a <c>Mul</c>'s shapes do not broadcast one to the
    /// other.</exception>
    public (long[] Dims, float[] Values)? ReadFloatConstant(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (this.initializers.TryGetValue(name, out var tensor))
        {
            if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            {
                throw new InvalidDataException(
                    $"Initializer '{name}' has ONNX data type {tensor.DataType}; expected FLOAT "
                        + $"({(int)TensorProto.Types.DataType.Float})."
                );
            }

            return OnnxTensorValues.Decode(tensor);
        }
        if (!producers.TryGetValue(name, out var node))
            return null;
        if (
            node.OpType == "Cast"
            && node.Input.Count == 1
            && IntAttribute(node, "to", 0) == (int)TensorProto.Types.DataType.Float
            && StoredTensor(node.Input[0]) is { } stored
        )
        {
            return OnnxTensorValues.Decode(stored);
        }

        if (
            node.OpType == "Mul"
            && node.Input.Count == 2
            && ReadFloatConstant(node.Input[0]) is { } left
            && ReadFloatConstant(node.Input[1]) is { } right
        )
        {
            return Multiply(node, left, right);
        }

        return null;
    }

    /// <summary>The graph that <see cref="OnnxGraphBuilder.AddModel"/> put under <paramref name="scope"/>, as a model
    /// of its own: the nodes named <c>{scope}/...</c> and the initializers they read, with the prefix taken off every
    /// name.</summary>
    /// <param name="scope">The prefix given to <see cref="OnnxGraphBuilder.AddModel"/>.</param>
    /// <param name="inputs">For each tensor of this graph that the scope reads, the input it becomes, with its shape
    /// (-1 for the batch dimension).</param>
    /// <param name="outputs">For each tensor of this graph that the scope writes and that is wanted, the output it
    /// becomes, with its shape.</param>
    /// <param name="metadata">The metadata properties of the new model (this model's are not copied).</param>
    /// <returns>The model bytes, or null when no node is under the scope.</returns>
    /// <exception cref="InvalidDataException">A node under the scope reads a tensor that is neither under it nor
    /// mapped.</exception>
    public byte[]? ExtractScope(
        string scope,
        IReadOnlyDictionary<string, OnnxFloatValue> inputs,
        IReadOnlyDictionary<string, OnnxFloatValue> outputs,
        IReadOnlyDictionary<string, string> metadata
    )
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        string prefix = scope + "/";
        var nodes = (this.model.Graph?.Node ?? [])
            .Where(n => n.Name.StartsWith(prefix, StringComparison.Ordinal))
            .ToArray();
        if (nodes.Length == 0)
            return null;
        string Renamed(string name)
        {
            if (name.Length == 0)
                return name;
            if (inputs.TryGetValue(name, out var input))
                return input.Name;
            if (outputs.TryGetValue(name, out var output))
                return output.Name;
            return name.StartsWith(prefix, StringComparison.Ordinal)
                ? name[prefix.Length..]
                : throw new InvalidDataException(
                    $"Node under scope '{scope}' uses tensor '{name}', which is neither under the scope nor mapped."
                );
        }
        var graph = ScopedGraph(prefix, nodes, Renamed);
        graph.Input.AddRange(inputs.Values.Select(i => OnnxGraphBuilder.FloatValueInfo(i.Name, i.Dims)));
        graph.Output.AddRange(outputs.Values.Select(o => OnnxGraphBuilder.FloatValueInfo(o.Name, o.Dims)));
        return ModelOf(graph, metadata).ToByteArray();
    }

    /// <summary>Copies of <paramref name="nodes"/> and of the initializers under <paramref name="prefix"/>, the prefix
    /// taken off their names and their tensors renamed by <paramref name="renamed"/>.</summary>
    private GraphProto ScopedGraph(string prefix, NodeProto[] nodes, Func<string, string> renamed)
    {
        var graph = new GraphProto { Name = this.model.Graph!.Name };
        foreach (var node in nodes)
        {
            var copy = node.Clone();
            copy.Name = node.Name[prefix.Length..];
            copy.Input.Clear();
            copy.Input.AddRange(node.Input.Select(renamed));
            copy.Output.Clear();
            copy.Output.AddRange(node.Output.Select(renamed));
            graph.Node.Add(copy);
        }
        foreach (
            var initializer in this.model.Graph.Initializer.Where(t =>
                t.Name.StartsWith(prefix, StringComparison.Ordinal)
            )
        )
        {
            var copy = initializer.Clone();
            copy.Name = initializer.Name[prefix.Length..];
            graph.Initializer.Add(copy);
        }
        return graph;
    }

    private ModelProto ModelOf(GraphProto graph, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto
        {
            IrVersion = this.model.IrVersion,
            ProducerName = this.model.ProducerName,
            ProducerVersion = this.model.ProducerVersion,
            Graph = graph,
        };
        model.OpsetImport.AddRange(this.model.OpsetImport);
        model.MetadataProps.AddRange(metadata.Select(m => new StringStringEntryProto { Key = m.Key, Value = m.Value }));
        return model;
    }

    /// <summary>The model <paramref name="model"/> with its metadata property <paramref name="key"/> set to
    /// <paramref name="value"/> (replacing any it had); graph and weights unchanged.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed protobuf message.</exception>
    internal static byte[] WithMetadata(ReadOnlyMemory<byte> model, string key, string value)
    {
        var proto = Parse(model);
        var kept = proto.MetadataProps.Where(p => p.Key != key).ToArray();
        proto.MetadataProps.Clear();
        proto.MetadataProps.AddRange(kept);
        proto.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return proto.ToByteArray();
    }

    /// <summary>Parses ONNX model bytes.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed protobuf message.</exception>
    internal static ModelProto Parse(ReadOnlyMemory<byte> model)
    {
        try
        {
            return ModelProto.Parser.ParseFrom(model.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"The bytes are not an ONNX model: {e.Message}", e);
        }
    }

    /// <summary>The elementwise product of two constants, one of which broadcasts to the other's shape (numpy
    /// rules).</summary>
    private static (long[] Dims, float[] Values) Multiply(
        NodeProto node,
        (long[] Dims, float[] Values) left,
        (long[] Dims, float[] Values) right
    )
    {
        var (full, small) =
            BroadcastsTo(right.Dims, left.Dims) ? (left, right)
            : BroadcastsTo(left.Dims, right.Dims) ? (right, left)
            : throw new InvalidDataException(
                $"Mul '{node.Name}' multiplies [{string.Join(", ", left.Dims)}] by [{string.Join(", ", right.Dims)}]; "
                    + "neither shape broadcasts to the other."
            );
        int rank = full.Dims.Length;
        // How far the small operand's offset moves per step along each dimension of the result: 0 where it is
        // broadcast.
        long[] strides = new long[rank];
        long stride = 1;
        for (int d = rank - 1, e = small.Dims.Length - 1; e >= 0; d--, e--)
        {
            strides[d] = small.Dims[e] == 1 ? 0 : stride;
            stride *= small.Dims[e];
        }
        float[] product = new float[full.Values.Length];
        for (long i = 0; i < product.Length; i++)
        {
            long rest = i,
                offset = 0;
            for (int d = rank - 1; d >= 0; d--)
            {
                offset += rest % full.Dims[d] * strides[d];
                rest /= full.Dims[d];
            }
            product[i] = full.Values[i] * small.Values[offset];
        }
        return (full.Dims, product);
    }

    private static bool BroadcastsTo(long[] small, long[] full) =>
        small.Length <= full.Length
        && small.Select((d, e) => d == 1 || d == full[full.Length - small.Length + e]).All(fits => fits);

    /// <summary>The constant tensor <paramref name="name"/>: an initializer, or the <c>value</c> of a <c>Constant</c>
    /// node.</summary>
    private TensorProto? StoredTensor(string name) =>
        this.initializers.TryGetValue(name, out var tensor) ? tensor
        : producers.TryGetValue(name, out var node) && node.OpType == "Constant"
            ? node.Attribute.FirstOrDefault(a => a.Name == "value")?.T
        : null;

    private static long IntAttribute(NodeProto node, string name, long defaultValue) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } attribute ? attribute.I : defaultValue;
}
