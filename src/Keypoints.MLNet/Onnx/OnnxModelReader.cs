using System.Buffers.Binary;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Reads what the library needs back from an ONNX model: the metadata properties, the operator and inputs
/// of each node in graph order, and float32 initializers by name. Everything else in the model is skipped.
/// </summary>
/// <remarks>
/// Fields read, by number (onnx/onnx.proto): <c>ModelProto</c> graph = 7, metadata_props = 14;
/// <c>StringStringEntryProto</c> key = 1, value = 2; <c>GraphProto</c> node = 1, initializer = 5;
/// <c>NodeProto</c> input = 1, op_type = 4; <c>TensorProto</c> dims = 1, data_type = 2 (FLOAT = 1),
/// float_data = 4, name = 8, raw_data = 9 (little-endian), data_location = 14 (EXTERNAL = 1 is refused).
/// Repeated numbers are accepted packed and unpacked, as protobuf parsers must. Initializers are decoded
/// only when asked for, from slices of the model bytes, so reading the metadata of a large model is cheap.
/// </remarks>
internal sealed class OnnxModelReader
{
    private const int ModelGraphField = 7;
    private const int ModelMetadataPropsField = 14;
    private const int EntryKeyField = 1;
    private const int EntryValueField = 2;
    private const int GraphNodeField = 1;
    private const int GraphInitializerField = 5;
    private const int NodeInputField = 1;
    private const int NodeOpTypeField = 4;
    private const int TensorDimsField = 1;
    private const int TensorDataTypeField = 2;
    private const int TensorFloatDataField = 4;
    private const int TensorNameField = 8;
    private const int TensorRawDataField = 9;
    private const int TensorDataLocationField = 14;
    private const long FloatDataType = 1;
    private const long ExternalDataLocation = 1;

    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);
    private readonly List<(string OpType, IReadOnlyList<string> Inputs)> _nodes = [];
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _initializers = new(StringComparer.Ordinal);

    /// <summary>Reads the structure of the <c>onnx.ModelProto</c> in <paramref name="model"/>, which is kept, not copied.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed protobuf message.</exception>
    public OnnxModelReader(ReadOnlyMemory<byte> model)
    {
        var reader = new ProtobufReader(model);
        while (reader.TryReadTag())
        {
            if (reader.FieldNumber == ModelGraphField && reader.WireType == ProtobufReader.LengthDelimitedWireType)
                ReadGraph(reader.ReadLengthDelimited());
            else if (reader.FieldNumber == ModelMetadataPropsField && reader.WireType == ProtobufReader.LengthDelimitedWireType)
                ReadMetadataEntry(reader.ReadLengthDelimited());
            else
                reader.Skip();
        }
    }

    /// <summary>The model's metadata properties (<c>metadata_props</c>), by key.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _metadata;

    /// <summary>The graph's nodes in graph order: the operator and the names of the tensors read.</summary>
    public IReadOnlyList<(string OpType, IReadOnlyList<string> Inputs)> Nodes => _nodes;

    /// <summary>Decodes the float32 initializer <paramref name="name"/>.</summary>
    /// <returns>The dimensions and the elements in row-major order; null when the graph has no initializer of that name.</returns>
    /// <exception cref="InvalidDataException">The initializer is not float32, its data is stored outside the model,
    /// or its element count does not match its dimensions.</exception>
    public (long[] Dims, float[] Values)? ReadFloatInitializer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_initializers.TryGetValue(name, out var tensor))
            return null;
        var dims = new List<long>();
        var values = new List<float>();
        ReadOnlyMemory<byte> raw = default;
        long dataType = 0;
        var reader = new ProtobufReader(tensor);
        while (reader.TryReadTag())
        {
            switch (reader.FieldNumber, reader.WireType)
            {
                case (TensorDimsField, ProtobufReader.VarintWireType):
                    dims.Add(reader.ReadInt64());
                    break;
                case (TensorDimsField, ProtobufReader.LengthDelimitedWireType):
                    var packedDims = new ProtobufReader(reader.ReadLengthDelimited());
                    while (packedDims.HasMore)
                        dims.Add(packedDims.ReadInt64());
                    break;
                case (TensorDataTypeField, ProtobufReader.VarintWireType):
                    dataType = reader.ReadInt64();
                    break;
                case (TensorFloatDataField, ProtobufReader.Fixed32WireType):
                    values.Add(reader.ReadFloat());
                    break;
                case (TensorFloatDataField, ProtobufReader.LengthDelimitedWireType):
                    var packedFloats = reader.ReadLengthDelimited().Span;
                    for (int i = 0; i + sizeof(float) <= packedFloats.Length; i += sizeof(float))
                        values.Add(BinaryPrimitives.ReadSingleLittleEndian(packedFloats[i..]));
                    break;
                case (TensorRawDataField, ProtobufReader.LengthDelimitedWireType):
                    raw = reader.ReadLengthDelimited();
                    break;
                case (TensorDataLocationField, ProtobufReader.VarintWireType):
                    if (reader.ReadInt64() == ExternalDataLocation)
                        throw new InvalidDataException($"Initializer '{name}' keeps its data in an external file, which is not supported.");
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (dataType != FloatDataType)
            throw new InvalidDataException($"Initializer '{name}' has ONNX data type {dataType}; expected FLOAT ({FloatDataType}).");
        var data = raw.IsEmpty ? values.ToArray() : DecodeLittleEndianFloats(raw.Span);
        long expected = dims.Aggregate(1L, (product, d) => product * d);
        if (expected != data.Length)
            throw new InvalidDataException($"Initializer '{name}' has {data.Length} elements but its dimensions [{string.Join(", ", dims)}] need {expected}.");
        return (dims.ToArray(), data);
    }

    private static float[] DecodeLittleEndianFloats(ReadOnlySpan<byte> bytes)
    {
        var data = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < data.Length; i++)
            data[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * sizeof(float))..]);
        return data;
    }

    private void ReadMetadataEntry(ReadOnlyMemory<byte> entry)
    {
        string key = string.Empty, value = string.Empty;
        var reader = new ProtobufReader(entry);
        while (reader.TryReadTag())
        {
            if (reader.FieldNumber == EntryKeyField && reader.WireType == ProtobufReader.LengthDelimitedWireType)
                key = reader.ReadString();
            else if (reader.FieldNumber == EntryValueField && reader.WireType == ProtobufReader.LengthDelimitedWireType)
                value = reader.ReadString();
            else
                reader.Skip();
        }
        _metadata[key] = value;
    }

    private void ReadGraph(ReadOnlyMemory<byte> graph)
    {
        var reader = new ProtobufReader(graph);
        while (reader.TryReadTag())
        {
            if (reader.FieldNumber == GraphNodeField && reader.WireType == ProtobufReader.LengthDelimitedWireType)
                _nodes.Add(ReadNode(reader.ReadLengthDelimited()));
            else if (reader.FieldNumber == GraphInitializerField && reader.WireType == ProtobufReader.LengthDelimitedWireType)
            {
                var tensor = reader.ReadLengthDelimited();
                _initializers[ReadTensorName(tensor)] = tensor;
            }
            else
                reader.Skip();
        }
    }

    private static (string OpType, IReadOnlyList<string> Inputs) ReadNode(ReadOnlyMemory<byte> node)
    {
        string opType = string.Empty;
        var inputs = new List<string>();
        var reader = new ProtobufReader(node);
        while (reader.TryReadTag())
        {
            if (reader.FieldNumber == NodeInputField && reader.WireType == ProtobufReader.LengthDelimitedWireType)
                inputs.Add(reader.ReadString());
            else if (reader.FieldNumber == NodeOpTypeField && reader.WireType == ProtobufReader.LengthDelimitedWireType)
                opType = reader.ReadString();
            else
                reader.Skip();
        }
        return (opType, inputs);
    }

    private static string ReadTensorName(ReadOnlyMemory<byte> tensor)
    {
        var reader = new ProtobufReader(tensor);
        while (reader.TryReadTag())
        {
            if (reader.FieldNumber == TensorNameField && reader.WireType == ProtobufReader.LengthDelimitedWireType)
                return reader.ReadString();
            reader.Skip();
        }
        return string.Empty;
    }
}
