using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Onnx.Proto;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML.OnnxRuntime;

namespace Keypoints.MLNet.Tests.Onnx;

/// <summary>Storing a graph's large weights as float16 or int8: the tensors, nodes and names written, the values read
/// back, the ONNX checker, and what ONNX Runtime computes against the float32 graph.</summary>
public sealed class OnnxWeightCompressionTests
{
    private const int Inputs = 64;
    private const int Hidden = 32;
    private const int Outputs = 5;
    private const int Rows = 4;

    private static readonly float[] Weight = Values(Hidden * Inputs, 1, 0.2f);
    private static readonly float[] Bias = Values(Hidden, 2, 0.1f);
    private static readonly float[] SmallWeight = Values(Outputs * Hidden, 3, 0.3f);
    private static readonly float[] X = Values(Rows * Inputs, 4, 1f);

    [TierFact(Needs.OnnxChecker)]
    public void Float16_StoresEachLargeWeightAsAFloat16Constant_BehindACastToItsOriginalName_AndKeepsTheRestFloat32()
    {
        byte[] compressed = OnnxWeightCompression.Apply(Model(), OnnxWeightFormat.Float16);

        var graph = OnnxModelReader.Parse(compressed).Graph;
        Assert.Equal(
            new Dictionary<string, TensorProto.Types.DataType>
            {
                ["b"] = TensorProto.Types.DataType.Float,
                ["v"] = TensorProto.Types.DataType.Float,
            },
            graph.Initializer.ToDictionary(t => t.Name, t => (TensorProto.Types.DataType)t.DataType)
        );
        var constant = graph.Node[0];
        Assert.Equal(
            ("Constant", "w.float16/Constant", "w.float16"),
            (constant.OpType, constant.Name, constant.Output.Single())
        );
        var value = constant.Attribute.Single(a => a.Name == "value").T;
        Assert.Equal(
            (TensorProto.Types.DataType.Float16, "32, 64"),
            ((TensorProto.Types.DataType)value.DataType, string.Join(", ", value.Dims))
        );
        var cast = graph.Node[1];
        Assert.Equal(
            ("Cast", "w/Cast", "w.float16", "w"),
            (cast.OpType, cast.Name, cast.Input.Single(), cast.Output.Single())
        );
        Assert.Equal((long)TensorProto.Types.DataType.Float, cast.Attribute.Single(a => a.Name == "to").I);
        Assert.Equal("kept", new OnnxModelReader(compressed).Metadata["note"]);
        OnnxChecker.Check(compressed);

        var (dims, values) = new OnnxModelReader(compressed).ReadFloatConstant("w")!.Value;
        Assert.Equal([Hidden, Inputs], dims);
        Assert.Equal(Weight.Select(w => (float)(Half)w), values);
    }

    [Fact]
    public void Float16_ComputesWhatFloat32Computes_WithinFloat16Rounding()
    {
        byte[] model = Model();

        float[] expected = Run(model);
        float[] actual = Run(OnnxWeightCompression.Apply(model, OnnxWeightFormat.Float16));

        // Each weight moves by at most 2^-11 of itself; over 64 inputs of |x| < 1 and |w| < 0.2 that bounds a hidden
        // unit's change by 64 * 0.2 * 2^-11 = 0.006, and an output's by 32 * 0.3 * 0.006; measured far below.
        Assert.True(
            MaxDifference(expected, actual) < 1e-2,
            $"max |float16 - float32| = {MaxDifference(expected, actual)}"
        );
        Assert.True(MaxDifference(expected, actual) > 0, "the float16 weights should round at least one output");
    }

    [TierFact(Needs.OnnxChecker)]
    public void Int8_StoresEachLargeWeightWithPerChannelScales_BehindACastAndAMulToItsOriginalName()
    {
        byte[] compressed = OnnxWeightCompression.Apply(Model(), OnnxWeightFormat.Int8);

        var graph = OnnxModelReader.Parse(compressed).Graph;
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["w.int8"] = "Int8 [32, 64]",
                ["w.scale"] = "Float [32, 1]",
                ["b"] = "Float [32]",
                ["v"] = "Float [5, 32]",
            },
            graph.Initializer.ToDictionary(
                t => t.Name,
                t => $"{(TensorProto.Types.DataType)t.DataType} [{string.Join(", ", t.Dims)}]"
            )
        );
        var cast = graph.Node[0];
        Assert.Equal(
            ("Cast", "w.unscaled/Cast", "w.int8", "w.unscaled"),
            (cast.OpType, cast.Name, cast.Input.Single(), cast.Output.Single())
        );
        Assert.Equal((long)TensorProto.Types.DataType.Float, cast.Attribute.Single(a => a.Name == "to").I);
        var mul = graph.Node[1];
        Assert.Equal(("Mul", "w/Mul", "w"), (mul.OpType, mul.Name, mul.Output.Single()));
        Assert.Equal(["w.unscaled", "w.scale"], mul.Input);
        OnnxChecker.Check(compressed);

        var (_, values) = new OnnxModelReader(compressed).ReadFloatConstant("w")!.Value;
        for (int row = 0; row < Hidden; row++)
        {
            float[] original = Weight.AsSpan(row * Inputs, Inputs).ToArray();
            float step = original.Max(Math.Abs) / 127;
            float[] read = values.AsSpan(row * Inputs, Inputs).ToArray();
            Assert.True(
                MaxDifference(original, read) <= step / 2 * 1.0001f,
                $"row {row}: max error {MaxDifference(original, read)}, step {step}"
            );
            Assert.Equal(original.Max(Math.Abs), read.Max(Math.Abs), 5);
        }
    }

    [Fact]
    public void Int8_ComputesWhatFloat32Computes_WithinHalfAScaleStepPerWeight()
    {
        byte[] model = Model();

        float[] expected = Run(model);
        float[] actual = Run(OnnxWeightCompression.Apply(model, OnnxWeightFormat.Int8));

        // Each weight moves by at most half a step, 0.2 / 254 < 8e-4: a hidden unit by 64 * 8e-4 = 0.05 at most, an
        // output by 32 * 0.3 * 0.05 at most; errors of independent signs stay an order of magnitude below that bound.
        Assert.True(MaxDifference(expected, actual) < 0.1, $"max |int8 - float32| = {MaxDifference(expected, actual)}");
    }

    [Fact]
    public void Float32_GivesTheSameBytes()
    {
        byte[] model = Model();

        Assert.Equal(model, OnnxWeightCompression.Apply(model, OnnxWeightFormat.Float32));
    }

    [Theory]
    [InlineData(OnnxWeightFormat.Float16)]
    [InlineData(OnnxWeightFormat.Int8)]
    public void CompressingAnInt8GraphAgain_LeavesItsScalesAlone(OnnxWeightFormat second)
    {
        // 256 output channels: the int8 scales, [256, 1], are as large as a weight but have one dimension above 1.
        var builder = new OnnxGraphBuilder("wide");
        builder.AddInput("x", -1, 2);
        string w = builder.AddInitializer("w", Values(256 * 2, 5, 0.2f), 256, 2);
        builder.AddNode("Gemm", ["x", w], ["y"], OnnxAttribute.Int("transB", 1));
        builder.AddOutput("y", -1, 256);
        byte[] once = OnnxWeightCompression.Apply(builder.ToModelBytes(), OnnxWeightFormat.Int8);

        byte[] twice = OnnxWeightCompression.Apply(once, second);

        string Initializers(byte[] model) =>
            string.Join(
                ", ",
                OnnxModelReader
                    .Parse(model)
                    .Graph.Initializer.Select(t =>
                        $"{t.Name} {(TensorProto.Types.DataType)t.DataType} [{string.Join(", ", t.Dims)}]"
                    )
            );
        Assert.Equal("w.int8 Int8 [256, 2], w.scale Float [256, 1]", Initializers(once));
        Assert.Equal(Initializers(once), Initializers(twice));
    }

    /// <summary><c>y = relu(x W^T + b) V^T</c>: W [32, 64] is a weight to compress, b a bias and V [5, 32] (160
    /// elements) too small to be worth it.</summary>
    private static byte[] Model()
    {
        var builder = new OnnxGraphBuilder("probe");
        builder.AddInput("x", -1, Inputs);
        string w = builder.AddInitializer("w", Weight, Hidden, Inputs);
        string b = builder.AddInitializer("b", Bias, Hidden);
        string v = builder.AddInitializer("v", SmallWeight, Outputs, Hidden);
        string h = builder.AddNode("Gemm", ["x", w, b], ["h"], OnnxAttribute.Int("transB", 1));
        string r = builder.Apply("Relu", h);
        builder.AddNode("Gemm", [r, v], ["y"], OnnxAttribute.Int("transB", 1));
        builder.AddOutput("y", -1, Outputs);
        builder.AddMetadata("note", "kept");
        return builder.ToModelBytes();
    }

    private static float[] Run(byte[] model)
    {
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(X, [Rows, Inputs]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["x"], [input], ["y"]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static float MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    private static float[] Values(int count, int seed, float magnitude)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2) - 1) * magnitude).ToArray();
    }
}
