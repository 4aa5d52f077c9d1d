using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Tests;

/// <summary>Reading back metadata, nodes and float initializers from ONNX bytes, and the protobuf decoder under it.</summary>
public sealed class OnnxModelReaderTests
{
    [Fact]
    public void Reader_GivesBackMetadataNodesAndInitializers_WrittenByTheGraphBuilder()
    {
        var builder = new OnnxGraphBuilder("probe");
        builder.AddInput("x", -1, 1, 4, 4);
        float[] weight = [1.5f, -2f, 0f, 3.25f, -0.5f, 1e-9f, 7f, 8f];
        var w = builder.AddInitializer("conv.weight", weight, 2, 1, 2, 2);
        var y = builder.AddNode("Relu", ["x"], ["relu_out"]);
        builder.AddNode("Conv", [y, w], ["y"]);
        builder.AddOutput("y", -1, 2, 3, 3);
        builder.AddMetadata("a", "first");
        builder.AddMetadata("b", "zweite ünïcode");

        var reader = new OnnxModelReader(builder.ToModelBytes());

        Assert.Equal(new Dictionary<string, string> { ["a"] = "first", ["b"] = "zweite ünïcode" }, reader.Metadata);
        Assert.Equal(["Relu", "Conv"], reader.Nodes.Select(n => n.OpType));
        Assert.Equal(["relu_out", "conv.weight"], reader.Nodes[1].Inputs);
        var (dims, values) = reader.ReadFloatInitializer("conv.weight")!.Value;
        Assert.Equal([2L, 1, 2, 2], dims);
        Assert.Equal(weight, values);
        Assert.Null(reader.ReadFloatInitializer("missing"));
    }

    [Fact]
    public void ReadFloatInitializer_AcceptsFloatDataAndUnpackedDims_AsOtherExportersWriteThem()
    {
        var model = new ProtobufWriter();
        model.WriteMessage(7, graph => graph.WriteMessage(5, tensor =>
        {
            tensor.WriteInt64(1, 2);
            tensor.WriteInt64(1, 2);
            tensor.WriteInt64(2, 1);
            tensor.WritePackedFloats(4, [1f, 2f, 3f]);
            tensor.WriteFloat(4, 4f);
            tensor.WriteString(8, "w");
        }));

        var (dims, values) = new OnnxModelReader(model.ToArray()).ReadFloatInitializer("w")!.Value;

        Assert.Equal([2L, 2], dims);
        Assert.Equal([1f, 2f, 3f, 4f], values);
    }

    [Fact]
    public void ReadFloatInitializer_RefusesAnInt64Tensor_NamingIt()
    {
        var builder = new OnnxGraphBuilder("probe");
        builder.AddInput("x", -1, 4);
        var shape = builder.AddInitializer("shape", [2L, 2], 2);
        builder.AddNode("Reshape", ["x", shape], ["y"]);
        builder.AddOutput("y", 2, 2);

        var error = Assert.Throws<InvalidDataException>(() => new OnnxModelReader(builder.ToModelBytes()).ReadFloatInitializer("shape"));

        Assert.Contains("'shape' has ONNX data type 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProtobufReader_ReadsBackEveryWireTypeTheWriterWrites_AndSkipsUnknownFields()
    {
        var writer = new ProtobufWriter();
        writer.WriteInt64(1, -2);
        writer.WriteFloat(2, 0.25f);
        writer.WriteString(3, "héllo");
        writer.WriteMessage(4, inner => inner.WriteInt64(1, 150));
        writer.WriteInt64(5, long.MaxValue);

        var reader = new ProtobufReader(writer.ToArray());

        Assert.True(reader.TryReadTag());
        Assert.Equal((1, ProtobufReader.VarintWireType), (reader.FieldNumber, reader.WireType));
        Assert.Equal(-2, reader.ReadInt64());
        Assert.True(reader.TryReadTag());
        Assert.Equal(0.25f, reader.ReadFloat());
        Assert.True(reader.TryReadTag());
        Assert.Equal("héllo", reader.ReadString());
        Assert.True(reader.TryReadTag());
        var inner = new ProtobufReader(reader.ReadLengthDelimited());
        Assert.True(inner.TryReadTag());
        Assert.Equal(150, inner.ReadInt64());
        Assert.False(inner.TryReadTag());
        Assert.True(reader.TryReadTag());
        reader.Skip();
        Assert.False(reader.TryReadTag());
    }

    [Fact]
    public void ProtobufReader_ReportsTheOffset_WhenALengthRunsPastTheEnd()
    {
        var reader = new ProtobufReader(new byte[] { 0x1A, 0x05, 0x41 });
        Assert.True(reader.TryReadTag());

        var error = Assert.Throws<InvalidDataException>(() => reader.ReadLengthDelimited());

        Assert.Contains("past the end of the message at byte 2 of 3", error.Message, StringComparison.Ordinal);
    }
}
