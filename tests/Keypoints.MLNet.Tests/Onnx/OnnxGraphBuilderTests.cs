using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Runtime;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;
using Xunit.Abstractions;
using F = TorchSharp.torch.nn.functional;

namespace Keypoints.MLNet.Tests.Onnx;

/// <summary>
/// The ONNX writer, end to end: a small keypoint CNN written with <see cref="OnnxGraphBuilder"/> passes
/// the ONNX checker, computes in ONNX Runtime and in ML.NET's OnnxTransformer what the same layers
/// compute in TorchSharp, and malformed graphs are refused with messages that name the culprit.
/// </summary>
public sealed class OnnxGraphBuilderTests(ITestOutputHelper output)
{
    private const int Side = 8;
    private const int Pixels = Side * Side;
    private const int Channels = 2;
    private const int Outputs = 4;
    private const int Batch = 3;
    private const float Tolerance = 1e-5f;

    [TierFact(Needs.OnnxChecker)]
    public void ToModelBytes_PassesOnnxChecker() => OnnxChecker.Check(new SmallKeypointCnn().Build().ToModelBytes());

    [TierFact(Needs.OnnxChecker)]
    public void AttributesOfEveryKind_PassOnnxChecker_AndComputeInOnnxRuntime()
    {
        var builder = new OnnxGraphBuilder("attribute_kinds");
        builder.AddInput("x", -1, 4);
        string weights = builder.AddNode(
            "Constant",
            [],
            [builder.UniqueName("weights")],
            OnnxAttribute.Tensor("value", [1f, 2f, 3f, 4f], [4])
        );
        string offsets = builder.AddNode(
            "Constant",
            [],
            [builder.UniqueName("offsets")],
            OnnxAttribute.Floats("value_floats", 0.5f, -0.5f, 0.25f, -4f)
        );
        string factor = builder.AddNode(
            "Constant",
            [],
            [builder.UniqueName("factor")],
            OnnxAttribute.Float("value_float", 2f)
        );
        string pads = builder.AddNode(
            "Constant",
            [],
            [builder.UniqueName("pads")],
            OnnxAttribute.Ints("value_ints", 0, 1, 0, 1)
        );
        string y = builder.AddNode("Mul", ["x", weights], [builder.UniqueName("weighted")]);
        y = builder.AddNode("Add", [y, offsets], [builder.UniqueName("offset")]);
        y = builder.AddNode("LeakyRelu", [y], [builder.UniqueName("leaky")], OnnxAttribute.Float("alpha", 0.125f));
        y = builder.AddNode("Mul", [y, factor], [builder.UniqueName("doubled")]);
        builder.AddNode("Pad", [y, pads], ["y"], OnnxAttribute.String("mode", "reflect"));
        builder.AddOutput("y", -1, 6);
        byte[] bytes = builder.ToModelBytes();

        OnnxChecker.Check(bytes);
        using var session = new InferenceSession(bytes);
        using var input = OrtValue.CreateTensorValueFromMemory(new[] { 1f, 1f, 1f, 1f, -1f, 0f, 2f, 0f }, [2, 4]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["x"], [input], ["y"]);

        // Row 1: (1, 2, 3, 4) + offsets = (1.5, 1.5, 3.25, 0), doubled; row 2: (-1, 0, 6, 0) + offsets =
        // (-0.5, -0.5, 6.25, -4), negatives times 1/8, doubled; then each row is reflected by one at both ends.
        float[] expected = [3f, 3f, 3f, 6.5f, 0f, 6.5f, -0.125f, -0.125f, -0.125f, 12.5f, -1f, 12.5f];
        AssertClose(expected, results[0].GetTensorDataAsSpan<float>().ToArray());
    }

    [Fact]
    public void OnnxRuntime_MatchesTorchSharp_ForSmallCnnWithSymbolicBatch()
    {
        var network = new SmallKeypointCnn();
        float[] images = RandomImages(Batch);

        float[] actual = RunOnnxRuntime(network.Build().ToModelBytes(), images, Batch);

        AssertClose(network.ComputeWithTorchSharp(images, Batch), actual);
    }

    [Fact]
    public void OnnxTransformer_ScoresModel_WithVectorOfFourSinglesAndOnnxRuntimeValues()
    {
        var network = new SmallKeypointCnn();
        byte[] bytes = network.Build().ToModelBytes();
        float[] images = RandomImages(Batch);
        string path = WriteTempModel(bytes);
        try
        {
            var mlContext = new MLContext(seed: 1);
            var rows = Enumerable
                .Range(0, Batch)
                .Select(i => new ImageRow { Image = images[(i * Pixels)..((i + 1) * Pixels)] })
                .ToList();
            var data = mlContext.Data.LoadFromEnumerable(rows);
            using var transformer = mlContext
                .Transforms.ApplyOnnxModel(
                    outputColumnNames: ["PredictedKeypoints"],
                    inputColumnNames: ["Image"],
                    modelFile: path
                )
                .Fit(data);
            var scored = transformer.Transform(data);

            var column = scored.Schema["PredictedKeypoints"];
            output.WriteLine($"PredictedKeypoints column type: {column.Type} ({column.Type.GetType().Name})");
            var vectorType = Assert.IsType<VectorDataViewType>(column.Type);
            output.WriteLine(
                $"Item type {vectorType.ItemType}, size {vectorType.Size}, dimensions "
                    + $"[{string.Join(", ", vectorType.Dimensions)}]"
            );
            Assert.Equal(NumberDataViewType.Single, vectorType.ItemType);
            Assert.Equal(Outputs, vectorType.Size);

            float[] predicted = scored.GetColumn<float[]>("PredictedKeypoints").SelectMany(v => v).ToArray();
            AssertClose(RunOnnxRuntime(bytes, images, Batch), predicted);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ToModelBytes_WritesMetadataThatOnnxRuntimeReads()
    {
        var builder = new SmallKeypointCnn().Build();
        builder.AddMetadata("keypoints.layout", "kaggle-15");

        using var session = new InferenceSession(builder.ToModelBytes());

        Assert.Equal("kaggle-15", session.ModelMetadata.CustomMetadataMap["keypoints.layout"]);
        Assert.Equal("Keypoints.MLNet", session.ModelMetadata.ProducerName);
    }

    [Fact]
    public void AddInitializer_Throws_WhenNameIsTaken()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("Image", -1, Pixels);

        var error = Assert.Throws<ArgumentException>(() => builder.AddInitializer("Image", [1f], 1));

        Assert.Contains("'Image'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddNode_Throws_WhenOutputNameIsTaken()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("Image", -1, Pixels);

        var error = Assert.Throws<ArgumentException>(() => builder.AddNode("Relu", ["Image"], ["Image"]));

        Assert.Contains("'Image'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddNode_Throws_NamingNodeAndInput_WhenInputDoesNotExistYet()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("Image", -1, Pixels);
        builder.AddNode("Relu", ["Image"], ["relu_out"]);

        var error = Assert.Throws<ArgumentException>(() => builder.AddNode("Mul", ["relu_out", "scale"], ["mul_out"]));

        Assert.Contains("'Mul_1'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'scale'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddInitializer_Throws_WhenDataLengthDoesNotMatchDims()
    {
        var builder = new OnnxGraphBuilder("g");

        var error = Assert.Throws<ArgumentException>(() => builder.AddInitializer("weight", new float[5], 2, 3));

        Assert.Contains("'weight' has 5 elements", error.Message, StringComparison.Ordinal);
        Assert.Contains("need 6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToModelBytes_Throws_WhenOutputIsNeverProduced()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("Image", -1, Pixels);
        builder.AddNode("Relu", ["Image"], ["relu_out"]);
        builder.AddOutput("PredictedKeypoints", -1, Outputs);

        var error = Assert.Throws<InvalidOperationException>(() => builder.ToModelBytes());

        Assert.Contains("'PredictedKeypoints'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UniqueName_ReturnsFreshNames_ThatNodesCanThenWrite()
    {
        var builder = new OnnxGraphBuilder("g");
        builder.AddInput("x_1", 1);

        string first = builder.UniqueName("x");
        string second = builder.UniqueName("x");
        builder.AddNode("Relu", ["x_1"], [first]);

        Assert.Equal("x_0", first);
        Assert.Equal("x_2", second);
    }

    private static float[] RandomImages(int batch)
    {
        var random = new Random(7);
        return Enumerable.Range(0, batch * Pixels).Select(_ => (float)random.Next(256)).ToArray();
    }

    private static float[] RunOnnxRuntime(byte[] model, float[] images, int batch)
    {
        using var session = new InferenceSession(model);
        using var input = OrtValue.CreateTensorValueFromMemory(images, [batch, Pixels]);
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["Image"], [input], ["PredictedKeypoints"]);
        Assert.Equal([batch, Outputs], results[0].GetTensorTypeAndShape().Shape);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static string WriteTempModel(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), $"keypoints-onnx-test-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float maxDifference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(maxDifference < Tolerance, $"Largest difference {maxDifference} is not below {Tolerance}.");
    }

    /// <summary>An ML.NET input row: one 8x8 grayscale image of pixel values 0-255.</summary>
    private sealed class ImageRow
    {
        [VectorType(Pixels)]
        public float[] Image { get; set; } = [];
    }

    /// <summary>
    /// A keypoint CNN shrunk to test size, with seeded random weights: pixels / 255, a 3x3 convolution to
    /// two channels, ReLU, 2x2 max pooling, a linear layer to four outputs, and de-scaling of the
    /// outputs from [-1, 1] to pixels of the 8x8 image.
    /// </summary>
    private sealed class SmallKeypointCnn
    {
        private const float PixelScale = 1f / 255;
        private const int Kernel = 3;
        private const int Flattened = Channels * (Side / 2) * (Side / 2);

        private readonly float[] convWeight;
        private readonly float[] convBias;
        private readonly float[] linearWeight;
        private readonly float[] linearBias;
        private readonly float[] outputScale = [Side / 2f, Side / 2f, Side / 2f, Side / 2f];
        private readonly float[] outputOffset = [Side / 2f, Side / 2f - 0.5f, Side / 2f, Side / 2f - 0.5f];

        public SmallKeypointCnn()
        {
            var random = new Random(42);
            float[] Weights(int count) =>
                Enumerable.Range(0, count).Select(_ => (random.NextSingle() * 2) - 1).ToArray();
            this.convWeight = Weights(Channels * Kernel * Kernel);
            this.convBias = Weights(Channels);
            this.linearWeight = Weights(Outputs * Flattened);
            this.linearBias = Weights(Outputs);
        }

        public OnnxGraphBuilder Build()
        {
            var builder = new OnnxGraphBuilder("small_keypoint_cnn");
            builder.AddInput("Image", -1, Pixels);
            string shape = builder.AddInitializer("image_shape", new long[] { -1, 1, Side, Side }, 4);
            string x = builder.AddNode("Reshape", ["Image", shape], [builder.UniqueName("image_4d")]);
            string pixelScale = builder.AddInitializer("pixel_scale", [PixelScale]);
            x = builder.AddNode("Mul", [x, pixelScale], [builder.UniqueName("scaled")]);
            string convWeight = builder.AddInitializer("conv1.weight", this.convWeight, Channels, 1, Kernel, Kernel);
            string convBias = builder.AddInitializer("conv1.bias", this.convBias, Channels);
            x = builder.AddNode(
                "Conv",
                [x, convWeight, convBias],
                [builder.UniqueName("conv1_out")],
                OnnxAttribute.Ints("kernel_shape", Kernel, Kernel),
                OnnxAttribute.Ints("strides", 1, 1),
                OnnxAttribute.Ints("pads", 1, 1, 1, 1)
            );
            x = builder.AddNode("Relu", [x], [builder.UniqueName("relu1_out")]);
            x = builder.AddNode(
                "MaxPool",
                [x],
                [builder.UniqueName("pool1_out")],
                OnnxAttribute.Ints("kernel_shape", 2, 2),
                OnnxAttribute.Ints("strides", 2, 2)
            );
            x = builder.AddNode("Flatten", [x], [builder.UniqueName("flat")], OnnxAttribute.Int("axis", 1));
            string linearWeight = builder.AddInitializer("fc.weight", this.linearWeight, Outputs, Flattened);
            string linearBias = builder.AddInitializer("fc.bias", this.linearBias, Outputs);
            x = builder.AddNode(
                "Gemm",
                [x, linearWeight, linearBias],
                [builder.UniqueName("fc_out")],
                OnnxAttribute.Int("transB", 1)
            );
            string outputScale = builder.AddInitializer("output_scale", this.outputScale, Outputs);
            x = builder.AddNode("Mul", [x, outputScale], [builder.UniqueName("descaled")]);
            string outputOffset = builder.AddInitializer("output_offset", this.outputOffset, Outputs);
            builder.AddNode("Add", [x, outputOffset], ["PredictedKeypoints"]);
            builder.AddOutput("PredictedKeypoints", -1, Outputs);
            return builder;
        }

        public float[] ComputeWithTorchSharp(float[] images, int batch)
        {
            TorchRuntime.EnsureInitialized();
            using var scope = torch.NewDisposeScope();
            var x = torch.tensor(images, [batch, 1, Side, Side]) * PixelScale;
            x = F.conv2d(
                x,
                torch.tensor(this.convWeight, [Channels, 1, Kernel, Kernel]),
                torch.tensor(this.convBias),
                strides: [1, 1],
                padding: [1, 1]
            );
            x = F.relu(x);
            x = F.max_pool2d(x, kernel_size: [2, 2], strides: [2, 2]);
            x = x.flatten(1);
            x = F.linear(x, torch.tensor(this.linearWeight, [Outputs, Flattened]), torch.tensor(this.linearBias));
            x = (x * torch.tensor(this.outputScale)) + torch.tensor(this.outputOffset);
            return x.data<float>().ToArray();
        }
    }
}
