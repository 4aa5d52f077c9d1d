using System.Buffers.Binary;
using Google.Protobuf;
using Keypoints.MLNet.Onnx.Proto;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Reads what the library needs back from an ONNX model: the metadata properties, the operator and inputs of each node
/// in graph order, and float32 initializers by name.
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
        try
        {
            _model = ModelProto.Parser.ParseFrom(model.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"The bytes are not an ONNX model: {e.Message}", e);
        }
        Metadata = _model.MetadataProps.GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        Nodes = (_model.Graph?.Node ?? []).Select(n => (n.OpType, (IReadOnlyList<string>)n.Input.ToArray())).ToArray();
        foreach (var tensor in _model.Graph?.Initializer ?? [])
            _initializers[tensor.Name] = tensor;
    }

    /// <summary>The model's metadata properties (<c>metadata_props</c>), by key.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The graph's nodes in graph order: the operator and the names of the tensors read.</summary>
    public IReadOnlyList<(string OpType, IReadOnlyList<string> Inputs)> Nodes { get; }

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

    private static float[] DecodeLittleEndianFloats(ReadOnlySpan<byte> bytes)
    {
        var data = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < data.Length; i++)
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        return data;
    }
}
