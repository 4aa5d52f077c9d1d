using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Tests.Onnx;

/// <summary>Reading back metadata, nodes and float initializers from ONNX bytes.</summary>
public sealed class OnnxModelReaderTests
{
    [Fact]
    public void Reader_GivesBackMetadataNodesAndInitializers_WrittenByTheGraphBuilder()
    {
        var builder = new OnnxGraphBuilder("probe");
        builder.AddInput("x", -1, 1, 4, 4);
        float[] weight = [1.5f, -2f, 0f, 3.25f, -0.5f, 1e-9f, 7f, 8f];
        string w = builder.AddInitializer("conv.weight", weight, 2, 1, 2, 2);
        string y = builder.AddNode("Relu", ["x"], ["relu_out"]);
        builder.AddNode("Conv", [y, w], ["y"]);
        builder.AddOutput("y", -1, 2, 3, 3);
        builder.AddMetadata("a", "first");
        builder.AddMetadata("b", "zweite ünïcode");

        var reader = new OnnxModelReader(builder.ToModelBytes());

        Assert.Equal(new Dictionary<string, string> { ["a"] = "first", ["b"] = "zweite ünïcode" }, reader.Metadata);
        Assert.Equal(["Relu", "Conv"], reader.Nodes.Select(n => n.OpType));
        Assert.Equal(["relu_out", "conv.weight"], reader.Nodes[1].Inputs);
        var (dims, values) = reader.ReadFloatConstant("conv.weight")!.Value;
        Assert.Equal([2L, 1, 2, 2], dims);
        Assert.Equal(weight, values);
        Assert.Null(reader.ReadFloatConstant("missing"));
    }

    [Fact]
    public void ReadFloatConstant_AcceptsFloatDataAndUnpackedDims_AsOtherExportersWriteThem()
    {
        // TensorProto (graph = 7, initializer = 5): dims = 1 unpacked, data_type = 2, float_data = 4 packed and then
        // one more unpacked, name = 8; written byte by byte as another exporter might.
        byte[] tensor =
        [
            0x08,
            0x02,
            0x08,
            0x02,
            0x10,
            0x01,
            0x22,
            0x0C,
            .. BitConverter.GetBytes(1f),
            .. BitConverter.GetBytes(2f),
            .. BitConverter.GetBytes(3f),
            0x25,
            .. BitConverter.GetBytes(4f),
            0x42,
            0x01,
            (byte)'w',
        ];
        byte[] graph = [0x2A, (byte)tensor.Length, .. tensor];
        byte[] model = [0x3A, (byte)graph.Length, .. graph];

        var (dims, values) = new OnnxModelReader(model).ReadFloatConstant("w")!.Value;

        Assert.Equal([2L, 2], dims);
        Assert.Equal([1f, 2f, 3f, 4f], values);
    }

    [Fact]
    public void ReadFloatConstant_RefusesAnInt64Tensor_NamingIt()
    {
        var builder = new OnnxGraphBuilder("probe");
        builder.AddInput("x", -1, 4);
        string shape = builder.AddInitializer("shape", [2L, 2], 2);
        builder.AddNode("Reshape", ["x", shape], ["y"]);
        builder.AddOutput("y", 2, 2);

        var error = Assert.Throws<InvalidDataException>(() =>
            new OnnxModelReader(builder.ToModelBytes()).ReadFloatConstant("shape")
        );

        Assert.Contains("'shape' has ONNX data type 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFloatConstant_MultipliesConstants_BroadcastingEitherOperand_AndReturnsNullForAComputedTensor()
    {
        var builder = new OnnxGraphBuilder("probe");
        builder.AddInput("x", 2, 3);
        string matrix = builder.AddInitializer("matrix", [1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        string rows = builder.AddInitializer("rows", [10f, -1f], 2, 1);
        string columns = builder.AddInitializer("columns", [1f, 0.5f, 2f], 3);
        string scaledRows = builder.AddNode("Mul", [rows, matrix], ["scaled_rows"]);
        string scaled = builder.AddNode("Mul", [scaledRows, columns], ["scaled"]);
        builder.AddNode("Mul", ["x", scaled], ["y"]);
        builder.AddOutput("y", 2, 3);
        var reader = new OnnxModelReader(builder.ToModelBytes());

        var (dims, values) = reader.ReadFloatConstant("scaled")!.Value;

        Assert.Equal([2L, 3], dims);
        Assert.Equal([10f, 10f, 60f, -4f, -2.5f, -12f], values);
        Assert.Null(reader.ReadFloatConstant("y"));
    }

    [Fact]
    public void Reader_RefusesBytesThatAreNotAProtobufMessage()
    {
        // Field 3, length-delimited, length 5, but only one byte follows.
        var error = Assert.Throws<InvalidDataException>(() => new OnnxModelReader(new byte[] { 0x1A, 0x05, 0x41 }));

        Assert.Contains("not an ONNX model", error.Message, StringComparison.Ordinal);
    }
}
