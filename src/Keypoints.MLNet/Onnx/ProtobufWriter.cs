using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Encodes protocol buffer messages in the binary wire format, field by field, into a growing
/// byte buffer: just the wire types ONNX models need, without a dependency on a protobuf library.
/// </summary>
/// <remarks>
/// Wire format (https://protobuf.dev/programming-guides/encoding/): each field is a tag
/// <c>(field_number &lt;&lt; 3) | wire_type</c> written as a varint, then the value: a varint
/// (wire type 0) for integers and enums, four little-endian bytes (wire type 5) for a float, or a
/// varint byte length and that many bytes (wire type 2) for strings, bytes, nested messages and
/// packed repeated scalars. The caller writes fields in any order; readers accept every order.
/// onnx.proto is a proto2 schema, whose repeated numbers are unpacked by default, but protobuf
/// parsers accept the packed form for any repeated number field, and it is the smaller one.
/// </remarks>
internal sealed class ProtobufWriter
{
    private const int VarintWireType = 0;
    private const int LengthDelimitedWireType = 2;
    private const int Fixed32WireType = 5;

    // A length prefix is reserved at its largest size for a length below 2^31 (a .NET array
    // cannot hold more) and the body is moved back once its length is known.
    private const int MaxLengthPrefixSize = 5;

    private byte[] _buffer;
    private int _length;

    /// <summary>Creates an empty writer.</summary>
    /// <param name="initialCapacity">Bytes to allocate up front; the buffer grows as needed.</param>
    public ProtobufWriter(int initialCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _buffer = new byte[Math.Max(initialCapacity, 16)];
    }

    /// <summary>Writes an integer field (int32, int64, enum or bool) as a varint.</summary>
    /// <remarks>Negative values take ten bytes: protobuf sign-extends <c>int32</c> and <c>int64</c> to 64 bits.</remarks>
    public void WriteInt64(int fieldNumber, long value)
    {
        WriteTag(fieldNumber, VarintWireType);
        WriteVarint(unchecked((ulong)value));
    }

    /// <summary>Writes a <c>float</c> field as four little-endian bytes.</summary>
    public void WriteFloat(int fieldNumber, float value)
    {
        WriteTag(fieldNumber, Fixed32WireType);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(sizeof(float)), value);
    }

    /// <summary>Writes a <c>string</c> field as its UTF-8 bytes.</summary>
    public void WriteString(int fieldNumber, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteTag(fieldNumber, LengthDelimitedWireType);
        WriteVarint((ulong)byteCount);
        Encoding.UTF8.GetBytes(value, Reserve(byteCount));
    }

    /// <summary>Writes a <c>bytes</c> field.</summary>
    public void WriteBytes(int fieldNumber, ReadOnlySpan<byte> value)
    {
        WriteTag(fieldNumber, LengthDelimitedWireType);
        WriteVarint((ulong)value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    /// <summary>Writes floats as one length-delimited run of little-endian IEEE 754 values: the encoding
    /// of a packed <c>repeated float</c> field, and the layout of ONNX <c>TensorProto.raw_data</c>.</summary>
    public void WritePackedFloats(int fieldNumber, ReadOnlySpan<float> values)
    {
        EnsureLittleEndian();
        WriteBytes(fieldNumber, MemoryMarshal.AsBytes(values));
    }

    /// <summary>Writes 64-bit integers as one <c>bytes</c> field of little-endian two's-complement
    /// values: the layout of ONNX <c>TensorProto.raw_data</c> for INT64 tensors.</summary>
    public void WriteLittleEndianInt64s(int fieldNumber, ReadOnlySpan<long> values)
    {
        EnsureLittleEndian();
        WriteBytes(fieldNumber, MemoryMarshal.AsBytes(values));
    }

    /// <summary>Writes a packed <c>repeated int64</c> field: one length-delimited run of varints.</summary>
    public void WritePackedInt64s(int fieldNumber, ReadOnlySpan<long> values)
    {
        int byteCount = 0;
        foreach (var value in values)
            byteCount += VarintSize(unchecked((ulong)value));
        WriteTag(fieldNumber, LengthDelimitedWireType);
        WriteVarint((ulong)byteCount);
        foreach (var value in values)
            WriteVarint(unchecked((ulong)value));
    }

    /// <summary>Writes a nested message field whose body <paramref name="writeBody"/> writes into this writer.</summary>
    public void WriteMessage(int fieldNumber, Action<ProtobufWriter> writeBody)
    {
        ArgumentNullException.ThrowIfNull(writeBody);
        WriteTag(fieldNumber, LengthDelimitedWireType);
        int prefixStart = _length;
        Reserve(MaxLengthPrefixSize);
        int bodyStart = _length;
        writeBody(this);
        int bodyLength = _length - bodyStart;
        int prefixSize = VarintSize((ulong)bodyLength);
        // Span.CopyTo handles the overlap of moving the body a few bytes towards the start.
        _buffer.AsSpan(bodyStart, bodyLength).CopyTo(_buffer.AsSpan(prefixStart + prefixSize));
        _length = prefixStart;
        WriteVarint((ulong)bodyLength);
        _length += bodyLength;
    }

    /// <summary>Returns a copy of the bytes written so far.</summary>
    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    // The bulk writers copy memory as it is, which is the wire layout only on a little-endian CPU;
    // the native runtimes this library runs on (x64 TorchSharp and ONNX Runtime) exist for no other.
    private static void EnsureLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Writing ONNX tensors needs a little-endian processor.");
    }

    private void WriteTag(int fieldNumber, int wireType)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fieldNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fieldNumber, (1 << 29) - 1);
        WriteVarint(((ulong)fieldNumber << 3) | (uint)wireType);
    }

    private void WriteVarint(ulong value)
    {
        var destination = Reserve(VarintSize(value));
        int i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i] = (byte)value;
    }

    private static int VarintSize(ulong value) => value == 0 ? 1 : (64 - BitOperations.LeadingZeroCount(value) + 6) / 7;

    private Span<byte> Reserve(int count)
    {
        if (_buffer.Length - _length < count)
        {
            long needed = (long)_length + count;
            if (needed > Array.MaxLength)
                throw new InvalidOperationException($"A protobuf message cannot exceed {Array.MaxLength} bytes; {needed} were needed.");
            var grown = new byte[(int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _buffer.Length))];
            _buffer.AsSpan(0, _length).CopyTo(grown);
            _buffer = grown;
        }
        var reserved = _buffer.AsSpan(_length, count);
        _length += count;
        return reserved;
    }
}
