namespace Keypoints.MLNet.Onnx;

/// <summary>
/// A named attribute of an ONNX node, such as <c>kernel_shape</c> of a <c>Conv</c> or <c>axis</c> of a <c>Flatten</c>.
/// </summary>
/// <remarks>
/// Written as <c>onnx.AttributeProto</c>: <c>name</c> = 1, <c>f</c> = 2, <c>i</c> = 3, <c>s</c> = 4,
/// <c>t</c> = 5, <c>floats</c> = 7, <c>ints</c> = 8, <c>type</c> = 20. The type is always written:
/// the ONNX checker rejects attributes without it.
/// Array values are kept by reference: the caller must not change them afterwards.
/// </remarks>
internal sealed class OnnxAttribute
{
    private const int NameField = 1;
    private const int FloatField = 2;
    private const int IntField = 3;
    private const int StringField = 4;
    private const int TensorField = 5;
    private const int FloatsField = 7;
    private const int IntsField = 8;
    private const int TypeField = 20;

    // onnx.AttributeProto.AttributeType
    private const int FloatType = 1;
    private const int IntType = 2;
    private const int StringType = 3;
    private const int TensorType = 4;
    private const int FloatsType = 6;
    private const int IntsType = 7;

    private readonly int _type;
    private readonly Action<ProtobufWriter> _writeValue;

    private OnnxAttribute(string name, int type, Action<ProtobufWriter> writeValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _type = type;
        _writeValue = writeValue;
    }

    /// <summary>The attribute name, as the operator's specification spells it (for example <c>transB</c>).</summary>
    public string Name { get; }

    /// <summary>An integer attribute (ONNX type INT), for example <c>axis</c>.</summary>
    public static OnnxAttribute Int(string name, long v) => new(name, IntType, w => w.WriteInt64(IntField, v));

    /// <summary>An integer list attribute (ONNX type INTS), for example <c>kernel_shape</c>.</summary>
    public static OnnxAttribute Ints(string name, params long[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, IntsType, w => w.WritePackedInt64s(IntsField, v));
    }

    /// <summary>A float attribute (ONNX type FLOAT), for example <c>alpha</c>.</summary>
    public static OnnxAttribute Float(string name, float v) => new(name, FloatType, w => w.WriteFloat(FloatField, v));

    /// <summary>A float list attribute (ONNX type FLOATS).</summary>
    public static OnnxAttribute Floats(string name, params float[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, FloatsType, w => w.WritePackedFloats(FloatsField, v));
    }

    /// <summary>A string attribute (ONNX type STRING, written as UTF-8), for example <c>auto_pad</c>.</summary>
    public static OnnxAttribute String(string name, string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, StringType, w => w.WriteString(StringField, v));
    }

    /// <summary>A float32 tensor attribute (ONNX type TENSOR), the <c>value</c> of a <c>Constant</c> node.</summary>
    /// <param name="name">The attribute name, <c>value</c> for a <c>Constant</c> node.</param>
    /// <param name="data">The elements in row-major order; their count must be the product of <paramref name="dims"/>.</param>
    /// <param name="dims">The dimensions; none for a scalar.</param>
    /// <exception cref="ArgumentException">The element count does not match the dimensions.</exception>
    public static OnnxAttribute Tensor(string name, float[] data, long[] dims)
    {
        var tensor = new OnnxTensor(string.Empty, data, dims);
        return new(name, TensorType, w => w.WriteMessage(TensorField, tensor.WriteTo));
    }

    /// <summary>Writes the attribute as the body of an <c>onnx.AttributeProto</c> message.</summary>
    public void WriteTo(ProtobufWriter writer)
    {
        writer.WriteString(NameField, Name);
        _writeValue(writer);
        writer.WriteInt64(TypeField, _type);
    }
}
