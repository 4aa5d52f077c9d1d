using System.Buffers.Binary;
using System.Text;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Decodes one protocol buffer message in the binary wire format field by field: the reading side of
/// <see cref="ProtobufWriter"/>, for the wire types ONNX models use.
/// </summary>
/// <remarks>
/// Call <see cref="TryReadTag"/> until it returns false, then read the field's value with the method that
/// matches its wire type (varint 0, fixed64 1, length-delimited 2, fixed32 5), or <see cref="Skip"/> it.
/// Length-delimited values come back as slices of the message's memory, without copying, so a nested
/// message is read by a new reader over its slice. Malformed input (a truncated value, a length past the
/// end, an unknown wire type) throws <see cref="InvalidDataException"/> with the byte offset.
/// </remarks>
internal sealed class ProtobufReader
{
    /// <summary>Wire type of varint-encoded integers.</summary>
    public const int VarintWireType = 0;

    /// <summary>Wire type of eight-byte little-endian values.</summary>
    public const int Fixed64WireType = 1;

    /// <summary>Wire type of strings, bytes, nested messages and packed repeated scalars.</summary>
    public const int LengthDelimitedWireType = 2;

    /// <summary>Wire type of four-byte little-endian values such as a <c>float</c>.</summary>
    public const int Fixed32WireType = 5;

    private readonly ReadOnlyMemory<byte> _message;
    private int _position;

    /// <summary>Starts reading <paramref name="message"/>, the encoded fields of one message.</summary>
    public ProtobufReader(ReadOnlyMemory<byte> message) => _message = message;

    /// <summary>The number of the field whose tag was read last.</summary>
    public int FieldNumber { get; private set; }

    /// <summary>The wire type of the field whose tag was read last.</summary>
    public int WireType { get; private set; }

    /// <summary>Whether bytes remain: the end of a message, or of a packed run read by a reader over its slice.</summary>
    public bool HasMore => _position < _message.Length;

    /// <summary>Reads the next field's tag into <see cref="FieldNumber"/> and <see cref="WireType"/>.</summary>
    /// <returns>False at the end of the message.</returns>
    public bool TryReadTag()
    {
        if (!HasMore)
            return false;
        var tag = ReadVarint();
        FieldNumber = (int)(tag >> 3);
        WireType = (int)(tag & 7);
        if (FieldNumber == 0)
            throw Malformed("field number 0");
        return true;
    }

    /// <summary>Reads a varint value: an int32, int64, enum or bool field, or one element of a packed run.</summary>
    public ulong ReadVarint()
    {
        var span = _message.Span;
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (_position == span.Length)
                throw Malformed("a truncated varint");
            byte b = span[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw Malformed("a varint longer than ten bytes");
    }

    /// <summary>Reads a varint as a signed 64-bit integer (protobuf sign-extends negative int32 and int64 values).</summary>
    public long ReadInt64() => unchecked((long)ReadVarint());

    /// <summary>Reads a fixed32 <c>float</c>.</summary>
    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(sizeof(float)).Span);

    /// <summary>Reads a length-delimited value (bytes, a nested message or a packed run) as a slice of the message.</summary>
    public ReadOnlyMemory<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_message.Length - _position))
            throw Malformed($"a length of {length} bytes, past the end of the message");
        return Take((int)length);
    }

    /// <summary>Reads a length-delimited UTF-8 <c>string</c>.</summary>
    public string ReadString() => Encoding.UTF8.GetString(ReadLengthDelimited().Span);

    /// <summary>Skips the value of the field whose tag was read last.</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case VarintWireType:
                ReadVarint();
                break;
            case Fixed64WireType:
                Take(sizeof(long));
                break;
            case LengthDelimitedWireType:
                ReadLengthDelimited();
                break;
            case Fixed32WireType:
                Take(sizeof(int));
                break;
            default:
                throw Malformed($"wire type {WireType} of field {FieldNumber}");
        }
    }

    private ReadOnlyMemory<byte> Take(int count)
    {
        if (_message.Length - _position < count)
            throw Malformed($"a value of {count} bytes, past the end of the message");
        var slice = _message.Slice(_position, count);
        _position += count;
        return slice;
    }

    private InvalidDataException Malformed(string what) =>
        new($"Malformed protobuf message: {what} at byte {_position} of {_message.Length}.");
}
