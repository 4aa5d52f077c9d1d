using System.Buffers.Binary;
using Google.Protobuf;
using Keypoints.MLNet.Onnx.Proto;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Reads what the library needs back from an ONNX model: the metadata properties, the operator, inputs and outputs of each
/// node in graph order, and float32 initializers by name.
/// </summary>
/// <remarks>
/// The bytes are parsed as an <c>onnx.ModelProto</c> (the classes generated from <c>onnx.proto</c>). A float initializer
/// may hold its elements in <c>raw_data</c> (little-endian) or in <c>float_data</c>, as exporters differ; data stored
/// outside the model (<c>data_location</c> EXTERNAL) is refused.
/// </remarks>
internal sealed class OnnxModelReader
{
    private readonly ModelProto _model;
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="model"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed protobuf message.</exception>
    public OnnxModelReader(ReadOnlyMemory<byte> model)
    {
        _model = Parse(model);
        Metadata = _model.MetadataProps.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        Nodes = (_model.Graph?.Node ?? [])
            .Select(n => (n.OpType, (IReadOnlyList<string>)n.Input.ToArray(), (IReadOnlyList<string>)n.Output.ToArray())).ToArray();
        foreach (var tensor in _model.Graph?.Initializer ?? [])
            _initializers[tensor.Name] = tensor;
    }

    /// <summary>The model's metadata properties (<c>metadata_props</c>), by key.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The graph's nodes in graph order: the operator and the names of the tensors read and written.</summary>
    public IReadOnlyList<(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs)> Nodes { get; }

    /// <summary>Decodes the float32 initializer <paramref name="name"/>.</summary>
    /// <returns>The dimensions and the elements in row-major order; null when the graph has no initializer of that name.</returns>
    /// <exception cref="InvalidDataException">The initializer is not float32, its data is stored outside the model,
    /// or its element count does not match its dimensions.</exception>
    public (long[] Dims, float[] Values)? ReadFloatInitializer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_initializers.TryGetValue(name, out var tensor))
            return null;
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new InvalidDataException($"Initializer '{name}' keeps its data in an external file, which is not supported.");
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"Initializer '{name}' has ONNX data type {tensor.DataType}; expected FLOAT ({(int)TensorProto.Types.DataType.Float}).");
        var data = tensor.RawData.IsEmpty ? tensor.FloatData.ToArray() : DecodeLittleEndianFloats(tensor.RawData.Span);
        var dims = tensor.Dims.ToArray();
        long expected = dims.Aggregate(1L, (product, d) => product * d);
        if (expected != data.Length)
            throw new InvalidDataException($"Initializer '{name}' has {data.Length} elements but its dimensions [{string.Join(", ", dims)}] need {expected}.");
        return (dims, data);
    }

    /// <summary>The graph that <see cref="OnnxGraphBuilder.AddModel"/> put under <paramref name="scope"/>, as a model of its own:
    /// the nodes named <c>{scope}/...</c> and the initializers they read, with the prefix taken off every name.</summary>
    /// <param name="scope">The prefix given to <see cref="OnnxGraphBuilder.AddModel"/>.</param>
    /// <param name="inputs">For each tensor of this graph that the scope reads, the input it becomes, with its shape
    /// (-1 for the batch dimension).</param>
    /// <param name="outputs">For each tensor of this graph that the scope writes and that is wanted, the output it becomes, with its shape.</param>
    /// <param name="metadata">The metadata properties of the new model (this model's are not copied).</param>
    /// <returns>The model bytes, or null when no node is under the scope.</returns>
    /// <exception cref="InvalidDataException">A node under the scope reads a tensor that is neither under it nor mapped.</exception>
    public byte[]? ExtractScope(string scope, IReadOnlyDictionary<string, (string Name, long[] Dims)> inputs,
        IReadOnlyDictionary<string, (string Name, long[] Dims)> outputs, IReadOnlyDictionary<string, string> metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        var prefix = scope + "/";
        var nodes = (_model.Graph?.Node ?? []).Where(n => n.Name.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
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
                : throw new InvalidDataException($"Node under scope '{scope}' uses tensor '{name}', which is neither under the scope nor mapped.");
        }
        var graph = new GraphProto { Name = _model.Graph!.Name };
        foreach (var node in nodes)
        {
            var copy = node.Clone();
            copy.Name = node.Name[prefix.Length..];
            copy.Input.Clear();
            copy.Input.AddRange(node.Input.Select(Renamed));
            copy.Output.Clear();
            copy.Output.AddRange(node.Output.Select(Renamed));
            graph.Node.Add(copy);
        }
        foreach (var initializer in _model.Graph.Initializer.Where(t => t.Name.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var copy = initializer.Clone();
            copy.Name = initializer.Name[prefix.Length..];
            graph.Initializer.Add(copy);
        }
        graph.Input.AddRange(inputs.Values.Select(i => OnnxGraphBuilder.FloatValueInfo(i.Name, i.Dims)));
        graph.Output.AddRange(outputs.Values.Select(o => OnnxGraphBuilder.FloatValueInfo(o.Name, o.Dims)));
        var model = new ModelProto
        {
            IrVersion = _model.IrVersion,
            ProducerName = _model.ProducerName,
            ProducerVersion = _model.ProducerVersion,
            Graph = graph,
        };
        model.OpsetImport.AddRange(_model.OpsetImport);
        model.MetadataProps.AddRange(metadata.Select(m => new StringStringEntryProto { Key = m.Key, Value = m.Value }));
        return model.ToByteArray();
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

    private static float[] DecodeLittleEndianFloats(ReadOnlySpan<byte> bytes)
    {
        var data = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < data.Length; i++)
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        return data;
    }
}
