using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Networks;

/// <summary>Writes TorchSharp layers as ONNX nodes with their current weights.</summary>
internal static class OnnxLayerWriter
{
    /// <summary>Conv (weights <c>[out, in, kh, kw]</c>, bias), stride 1, no padding as in the modules here.</summary>
    public static string Conv(OnnxGraphBuilder graph, string name, Conv2d conv, string input, long padding = 0)
    {
        var weight = conv.weight ?? throw new InvalidOperationException($"Layer {name} has no weight.");
        var w = graph.AddInitializer(name + ".weight", ToArray(weight), weight.shape);
        var inputs = conv.bias is { } bias
            ? new[] { input, w, graph.AddInitializer(name + ".bias", ToArray(bias), bias.shape) }
            : new[] { input, w };
        return graph.AddNode("Conv", inputs, [graph.UniqueName(name)],
            OnnxAttribute.Ints("kernel_shape", weight.shape[2], weight.shape[3]),
            OnnxAttribute.Ints("strides", 1, 1),
            OnnxAttribute.Ints("pads", padding, padding, padding, padding));
    }

    /// <summary>Gemm with <c>transB = 1</c>, matching <c>torch.nn.Linear</c>'s <c>[out, in]</c> weight.</summary>
    public static string Linear(OnnxGraphBuilder graph, string name, Linear linear, string input)
    {
        var w = graph.AddInitializer(name + ".weight", ToArray(linear.weight!), linear.weight!.shape);
        var b = graph.AddInitializer(name + ".bias", ToArray(linear.bias!), linear.bias!.shape);
        return graph.AddNode("Gemm", [input, w, b], [graph.UniqueName(name)], OnnxAttribute.Int("transB", 1));
    }

    /// <summary>Rectified linear unit.</summary>
    public static string Relu(OnnxGraphBuilder graph, string input) =>
        graph.AddNode("Relu", [input], [graph.UniqueName("relu")]);

    /// <summary>2 x 2 max pooling with stride 2 and floor rounding, as <c>torch.nn.MaxPool2d(2)</c>.</summary>
    public static string MaxPool2(OnnxGraphBuilder graph, string input) =>
        graph.AddNode("MaxPool", [input], [graph.UniqueName("pool")],
            OnnxAttribute.Ints("kernel_shape", 2, 2), OnnxAttribute.Ints("strides", 2, 2));

    /// <summary>Flattens <c>[N, ...]</c> to <c>[N, rest]</c> in C order, as <c>torch.flatten(x, 1)</c>.</summary>
    public static string Flatten(OnnxGraphBuilder graph, string input) =>
        graph.AddNode("Flatten", [input], [graph.UniqueName("flat")], OnnxAttribute.Int("axis", 1));

    private static float[] ToArray(Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }
}
