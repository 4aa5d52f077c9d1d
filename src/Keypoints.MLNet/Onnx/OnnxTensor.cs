using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Keypoints.MLNet.Onnx.Proto;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Makes the constant tensors of an ONNX model (initializers, and the value of a <c>Constant</c> node): float32,
/// float16, int8 or int64 elements in row-major order with their dimensions, as <c>onnx.TensorProto</c> with the
/// elements in <c>raw_data</c> as little-endian bytes, the compact form that ONNX Runtime reads without converting
/// element by element.
/// </summary>
internal static class OnnxTensor
{
    /// <summary>A float32 tensor.</summary>
    /// <param name="name">The tensor name; empty for the value of a <c>Constant</c> node.</param>
    /// <param name="data">The elements in row-major order; their count must be the product of <paramref
    /// name="dims"/>.</param>
    /// <param name="dims">The dimensions, each zero or more; none for a scalar.</param>
    /// <exception cref="ArgumentException">A dimension is negative or the element count does not match the
    /// dimensions.</exception>
    public static TensorProto Float(string name, float[] data, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(data);
        var tensor = Create(name, data.Length, dims, TensorProto.Types.DataType.Float);
        byte[] bytes = new byte[data.Length * sizeof(float)];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(data.AsSpan()).CopyTo(bytes);
        }
        else
        {
            for (int i = 0; i < data.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), data[i]);
        }
        tensor.RawData = UnsafeByteOperations.UnsafeWrap(bytes);
        return tensor;
    }

    /// <summary>An int64 tensor, for example the target shape of a <c>Reshape</c> or the indices of a
    /// <c>Gather</c>.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="data">The elements in row-major order; their count must be the product of <paramref
    /// name="dims"/>.</param>
    /// <param name="dims">The dimensions, each zero or more; none for a scalar.</param>
    /// <exception cref="ArgumentException">A dimension is negative or the element count does not match the
    /// dimensions.</exception>
    public static TensorProto Int64(string name, long[] data, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(data);
        var tensor = Create(name, data.Length, dims, TensorProto.Types.DataType.Int64);
        byte[] bytes = new byte[data.Length * sizeof(long)];
        for (int i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), data[i]);
        tensor.RawData = UnsafeByteOperations.UnsafeWrap(bytes);
        return tensor;
    }

    /// <summary>A float16 tensor, the compact storage of a weight that a <c>Cast</c> widens to float32.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="data">The elements in row-major order; their count must be the product of <paramref
    /// name="dims"/>.</param>
    /// <param name="dims">The dimensions, each zero or more; none for a scalar.</param>
    /// <exception cref="ArgumentException">A dimension is negative or the element count does not match the
    /// dimensions.</exception>
    public static TensorProto Float16(string name, Half[] data, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(data);
        var tensor = Create(name, data.Length, dims, TensorProto.Types.DataType.Float16);
        byte[] bytes = new byte[data.Length * 2];
        for (int i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), data[i]);
        tensor.RawData = UnsafeByteOperations.UnsafeWrap(bytes);
        return tensor;
    }

    /// <summary>An int8 tensor, the compact storage of a quantized weight that a <c>Cast</c> and a <c>Mul</c> by its
    /// scales widen to float32.</summary>
    /// <param name="name">The tensor name.</param>
    /// <param name="data">The elements in row-major order; their count must be the product of <paramref
    /// name="dims"/>.</param>
    /// <param name="dims">The dimensions, each zero or more; none for a scalar.</param>
    /// <exception cref="ArgumentException">A dimension is negative or the element count does not match the
    /// dimensions.</exception>
    public static TensorProto Int8(string name, sbyte[] data, long[] dims)
    {
        ArgumentNullException.ThrowIfNull(data);
        var tensor = Create(name, data.Length, dims, TensorProto.Types.DataType.Int8);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(data.AsSpan()));
        return tensor;
    }

    private static TensorProto Create(string name, int count, long[] dims, TensorProto.Types.DataType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dims);
        if (Array.Exists(dims, d => d < 0))
        {
            throw new ArgumentException(
                $"Tensor '{name}' has a negative dimension in [{string.Join(", ", dims)}].",
                nameof(dims)
            );
        }

        long expected = dims.Aggregate(1L, (product, d) => product * d);
        if (expected != count)
        {
            throw new ArgumentException(
                $"Tensor '{name}' has {count} elements but its dimensions [{string.Join(", ", dims)}] need {expected}.",
                nameof(dims)
            );
        }

        var tensor = new TensorProto { Name = name, DataType = (int)type };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
