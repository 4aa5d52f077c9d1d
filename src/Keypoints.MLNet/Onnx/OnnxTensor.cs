namespace Keypoints.MLNet.Onnx;

/// <summary>
/// A constant tensor of an ONNX model (an initializer, or the value of a <c>Constant</c> node):
/// float32 or int64 elements in row-major order, and the dimensions.
/// </summary>
/// <remarks>
/// Written as <c>onnx.TensorProto</c>: <c>dims</c> = 1, <c>data_type</c> = 2, <c>name</c> = 8,
/// <c>raw_data</c> = 9. The elements go in <c>raw_data</c> as little-endian bytes, the compact form
/// that ONNX Runtime reads without converting element by element.
/// The tensor keeps a reference to the element array: the caller must not change it afterwards.
/// </remarks>
internal sealed class OnnxTensor
{
    private const int DimsField = 1;
    private const int DataTypeField = 2;
    private const int NameField = 8;
    private const int RawDataField = 9;

    // onnx.TensorProto.DataType
    private const int FloatDataType = 1;
    private const int Int64DataType = 7;

    private readonly float[]? _floats;
    private readonly long[]? _int64s;
    private readonly long[] _dims;

    /// <summary>Creates a float32 tensor.</summary>
    /// <param name="name">The tensor name; empty for the value of a <c>Constant</c> node.</param>
    /// <param name="data">The elements in row-major order; their count must be the product of <paramref name="dims"/>.</param>
    /// <param name="dims">The dimensions, each zero or more; none for a scalar.</param>
    /// <exception cref="ArgumentException">A dimension is negative or the element count does not match the dimensions.</exception>
    public OnnxTensor(string name, float[] data, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(data);
        _floats = data;
        (Name, _dims) = Validate(name, data.Length, dims);
    }

    /// <summary>Creates an int64 tensor, for example the target shape of a <c>Reshape</c> or the indices of a <c>Gather</c>.</summary>
    /// <param name="name">The tensor name; empty for the value of a <c>Constant</c> node.</param>
    /// <param name="data">The elements in row-major order; their count must be the product of <paramref name="dims"/>.</param>
    /// <param name="dims">The dimensions, each zero or more; none for a scalar.</param>
    /// <exception cref="ArgumentException">A dimension is negative or the element count does not match the dimensions.</exception>
    public OnnxTensor(string name, long[] data, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(data);
        _int64s = data;
        (Name, _dims) = Validate(name, data.Length, dims);
    }

    /// <summary>The tensor name; empty for the value of a <c>Constant</c> node.</summary>
    public string Name { get; }

    /// <summary>Size of the elements in bytes, the bulk of the tensor's encoded size.</summary>
    public long DataByteCount => _floats is not null ? (long)_floats.Length * sizeof(float) : (long)_int64s!.Length * sizeof(long);

    /// <summary>Writes the tensor as the body of an <c>onnx.TensorProto</c> message.</summary>
    public void WriteTo(ProtobufWriter writer)
    {
        writer.WritePackedInt64s(DimsField, _dims);
        if (_floats is not null)
        {
            writer.WriteInt64(DataTypeField, FloatDataType);
            writer.WritePackedFloats(RawDataField, _floats);
        }
        else
        {
            writer.WriteInt64(DataTypeField, Int64DataType);
            writer.WriteLittleEndianInt64s(RawDataField, _int64s);
        }
        if (Name.Length > 0)
            writer.WriteString(NameField, Name);
    }

    private static (string Name, long[] Dims) Validate(string name, int elementCount, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dims);
        long expected = 1;
        foreach (var dim in dims)
        {
            if (dim < 0)
                throw new ArgumentException($"Tensor '{name}' has dimension {dim} in [{string.Join(", ", dims)}]; constant tensors need sizes of zero or more.", nameof(dims));
            expected = checked(expected * dim);
        }
        if (expected != elementCount)
            throw new ArgumentException(
                $"Tensor '{name}' has {elementCount} elements but its dimensions [{string.Join(", ", dims)}] need {expected}.", nameof(dims));
        return (name, (long[])dims.Clone());
    }
}
