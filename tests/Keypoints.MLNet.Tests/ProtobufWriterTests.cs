using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Tests;

/// <summary>
/// The protobuf encoder against the worked examples of the encoding guide
/// (https://protobuf.dev/programming-guides/encoding/), byte for byte.
/// </summary>
public sealed class ProtobufWriterTests
{
    [Fact]
    public void WriteInt64_WritesTagAndVarint()
    {
        var writer = new ProtobufWriter();

        writer.WriteInt64(1, 150);

        Assert.Equal([0x08, 0x96, 0x01], writer.ToArray());
    }

    [Fact]
    public void WriteInt64_WritesNegativeValuesInTenBytes()
    {
        var writer = new ProtobufWriter();

        writer.WriteInt64(1, -2);

        Assert.Equal([0x08, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], writer.ToArray());
    }

    [Fact]
    public void WriteFloat_WritesFourLittleEndianBytes()
    {
        var writer = new ProtobufWriter();

        writer.WriteFloat(2, 1f);

        Assert.Equal([0x15, 0x00, 0x00, 0x80, 0x3F], writer.ToArray());
    }

    [Fact]
    public void WriteString_WritesLengthAndUtf8()
    {
        var writer = new ProtobufWriter();

        writer.WriteString(2, "testing");

        Assert.Equal([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67], writer.ToArray());
    }

    [Fact]
    public void WritePackedInt64s_WritesOneLengthDelimitedRunOfVarints()
    {
        var writer = new ProtobufWriter();

        writer.WritePackedInt64s(4, [3, 270, 86942]);

        Assert.Equal([0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05], writer.ToArray());
    }

    [Fact]
    public void WritePackedFloats_WritesLittleEndianValues()
    {
        var writer = new ProtobufWriter();

        writer.WritePackedFloats(9, [1f, -2f]);

        Assert.Equal([0x4A, 0x08, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0], writer.ToArray());
    }

    [Fact]
    public void WriteMessage_PrefixesBodyWithItsLength()
    {
        var writer = new ProtobufWriter();

        writer.WriteMessage(3, inner => inner.WriteInt64(1, 150));

        Assert.Equal([0x1A, 0x03, 0x08, 0x96, 0x01], writer.ToArray());
    }

    [Fact]
    public void WriteMessage_WritesMultiByteLength_WhenBodyExceeds127Bytes()
    {
        var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var writer = new ProtobufWriter(initialCapacity: 0);

        writer.WriteMessage(3, inner => inner.WriteBytes(1, payload));

        // Body: tag 0x0A, length 300 = AC 02, payload: 303 bytes = AF 02.
        byte[] expected = [0x1A, 0xAF, 0x02, 0x0A, 0xAC, 0x02, .. payload];
        Assert.Equal(expected, writer.ToArray());
    }
}
