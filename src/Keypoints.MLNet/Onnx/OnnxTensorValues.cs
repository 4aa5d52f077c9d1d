using System.Buffers.Binary;
using Keypoints.MLNet.Onnx.Proto;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Decodes the elements of a constant tensor (<c>onnx.TensorProto</c>) as float32: float32 elements as they are,
/// float16 and 8-bit integers widened. The elements may be in <c>raw_data</c> (little-endian) or in the typed field
/// (<c>float_data</c>;
/// <c>int32_data</c> for float16, which holds each one's 16 bits, and for 8-bit integers), as exporters differ; data
/// stored outside the model (<c>data_location</c> EXTERNAL) is refused.
/// </summary>
internal static class OnnxTensorValues
{
    /// <summary>The dimensions and the elements in row-major order of a FLOAT, FLOAT16, INT8 or UINT8 tensor, as
    /// float32.</summary>
    /// <exception cref="InvalidDataException">The tensor has another element type, keeps its data in an external file,
    /// or its element count does not match its dimensions; the message names the tensor.</exception>
    public static (long[] Dims, float[] Values) Decode(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new InvalidDataException(
                $"Initializer '{tensor.Name}' keeps its data in an external file, which is not supported."
            );
        }

        var raw = tensor.RawData.Span;
        float[] values = (TensorProto.Types.DataType)tensor.DataType switch
        {
            TensorProto.Types.DataType.Float => raw.IsEmpty
                ? tensor.FloatData.ToArray()
                : Widen(raw, sizeof(float), b => BinaryPrimitives.ReadSingleLittleEndian(b)),
            TensorProto.Types.DataType.Float16 => raw.IsEmpty
                ? tensor.Int32Data.Select(bits => (float)BitConverter.UInt16BitsToHalf((ushort)bits)).ToArray()
                : Widen(raw, 2, b => (float)BinaryPrimitives.ReadHalfLittleEndian(b)),
            TensorProto.Types.DataType.Int8 => raw.IsEmpty
                ? tensor.Int32Data.Select(v => (float)(sbyte)v).ToArray()
                : Widen(raw, 1, b => (sbyte)b[0]),
            TensorProto.Types.DataType.Uint8 => raw.IsEmpty
                ? tensor.Int32Data.Select(v => (float)(byte)v).ToArray()
                : Widen(raw, 1, b => b[0]),
            _ => throw new InvalidDataException(
                $"Initializer '{tensor.Name}' has ONNX data type {tensor.DataType}; expected FLOAT "
                    + $"({(int)TensorProto.Types.DataType.Float}), "
                    + $"FLOAT16 ({(int)TensorProto.Types.DataType.Float16}), INT8 "
                    + $"({(int)TensorProto.Types.DataType.Int8}) or UINT8 "
                    + $"({(int)TensorProto.Types.DataType.Uint8})."
            ),
        };
        long[] dims = tensor.Dims.ToArray();
        long expected = dims.Aggregate(1L, (product, d) => product * d);
        if (expected != values.Length)
        {
            throw new InvalidDataException(
                $"Initializer '{tensor.Name}' has {values.Length} elements but its dimensions "
                    + $"[{string.Join(", ", dims)}] need {expected}."
            );
        }

        return (dims, values);
    }

    private delegate float ElementReader(ReadOnlySpan<byte> bytes);

    private static float[] Widen(ReadOnlySpan<byte> bytes, int size, ElementReader read)
    {
        float[] values = new float[bytes.Length / size];
        for (int i = 0; i < values.Length; i++)
            values[i] = read(bytes[(i * size)..]);
        return values;
    }
}
