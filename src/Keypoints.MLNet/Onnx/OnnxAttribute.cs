using Keypoints.MLNet.Onnx.Proto;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// A named attribute of an ONNX node, such as <c>kernel_shape</c> of a <c>Conv</c> or <c>axis</c> of a <c>Flatten</c>:
/// an <c>onnx.AttributeProto</c> with its <c>type</c> always set (the ONNX checker rejects attributes without it).
/// </summary>
internal sealed class OnnxAttribute
{
    private OnnxAttribute(string name, AttributeProto.Types.AttributeType type, Action<AttributeProto> setValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Proto = new AttributeProto { Name = name, Type = type };
        setValue(Proto);
    }

    /// <summary>The attribute name, as the operator's specification spells it (for example <c>transB</c>).</summary>
    public string Name => Proto.Name;

    /// <summary>The attribute as the ONNX message.</summary>
    internal AttributeProto Proto { get; }

    /// <summary>An integer attribute (ONNX type INT), for example <c>axis</c>.</summary>
    public static OnnxAttribute Int(string name, long v) =>
        new(name, AttributeProto.Types.AttributeType.Int, a => a.I = v);

    /// <summary>An integer list attribute (ONNX type INTS), for example <c>kernel_shape</c>.</summary>
    public static OnnxAttribute Ints(string name, params long[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, AttributeProto.Types.AttributeType.Ints, a => a.Ints.AddRange(v));
    }

    /// <summary>A float attribute (ONNX type FLOAT), for example <c>alpha</c>.</summary>
    public static OnnxAttribute Float(string name, float v) =>
        new(name, AttributeProto.Types.AttributeType.Float, a => a.F = v);

    /// <summary>A float list attribute (ONNX type FLOATS).</summary>
    public static OnnxAttribute Floats(string name, params float[] v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, AttributeProto.Types.AttributeType.Floats, a => a.Floats.AddRange(v));
    }

    /// <summary>A string attribute (ONNX type STRING, written as UTF-8), for example <c>auto_pad</c>.</summary>
    public static OnnxAttribute String(string name, string v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new(name, AttributeProto.Types.AttributeType.String, a =>
            a.S = Google.Protobuf.ByteString.CopyFromUtf8(v)
        );
    }

    /// <summary>A float32 tensor attribute (ONNX type TENSOR), the <c>value</c> of a <c>Constant</c> node.</summary>
    /// <param name="name">The attribute name, <c>value</c> for a <c>Constant</c> node.</param>
    /// <param name="data">The elements in row-major order; their count must be the product of <paramref
    /// name="dims"/>.</param>
    /// <param name="dims">The dimensions; none for a scalar.</param>
    /// <exception cref="ArgumentException">The element count does not match the dimensions.</exception>
    public static OnnxAttribute Tensor(string name, float[] data, long[] dims) =>
        Tensor(name, OnnxTensor.Float(string.Empty, data, dims));

    /// <summary>A tensor attribute (ONNX type TENSOR) of any element type, made by <see cref="OnnxTensor"/> with an
    /// empty name.</summary>
    /// <param name="name">The attribute name, <c>value</c> for a <c>Constant</c> node.</param>
    /// <param name="tensor">The tensor; kept, not copied.</param>
    public static OnnxAttribute Tensor(string name, TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return new(name, AttributeProto.Types.AttributeType.Tensor, a => a.T = tensor);
    }
}
