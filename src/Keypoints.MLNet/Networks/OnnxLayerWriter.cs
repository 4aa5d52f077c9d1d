using Keypoints.MLNet.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Networks;

/// <summary>Writes TorchSharp layers as ONNX nodes with their current weights.</summary>
internal static class OnnxLayerWriter
{
    /// <summary>Conv (weights <c>[out, in, kh, kw]</c>, optional bias) with the module's stride, zero padding, dilation
    /// and groups.</summary>
    /// <exception cref="NotSupportedException">The module pads other than with explicit zeros (<c>padding:
    /// Padding.Same</c>, reflect, replicate or circular modes).</exception>
    public static string Conv(OnnxGraphBuilder graph, string name, Conv2d conv, string input)
    {
        // ONNX Conv pads with zeros only, and a Padding.Same module may pad its two sides unequally.
        if (conv.padding_type is not null || conv.padding_mode != PaddingModes.Zeros || conv.padding is not { } padding)
        {
            throw new NotSupportedException(
                $"Layer {name} pads with {conv.padding_type?.ToString() ?? conv.padding_mode.ToString()}; "
                    + "the ONNX export writes only explicit zero padding."
            );
        }

        var weight = conv.weight ?? throw new InvalidOperationException($"Layer {name} has no weight.");
        string w = graph.AddInitializer(name + ".weight", ToArray(weight), weight.shape);
        string[] inputs = conv.bias is { } bias
            ? new[] { input, w, graph.AddInitializer(name + ".bias", ToArray(bias), bias.shape) }
            : new[] { input, w };
        return graph.AddNode(
            "Conv",
            inputs,
            [graph.UniqueName(name)],
            OnnxAttribute.Ints("kernel_shape", weight.shape[2], weight.shape[3]),
            OnnxAttribute.Ints("strides", conv.stride),
            OnnxAttribute.Ints("pads", padding[0], padding[1], padding[0], padding[1]),
            OnnxAttribute.Ints("dilations", conv.dilation),
            OnnxAttribute.Int("group", conv.groups)
        );
    }

    /// <summary>BatchNormalization in inference form, <c>(x - running_mean) / sqrt(running_var + eps) * weight +
    /// bias</c>, which is what <c>torch.nn.BatchNorm2d</c> computes in eval mode.</summary>
    /// <exception cref="NotSupportedException">The module has no running statistics or no learned scale and
    /// shift.</exception>
    public static string BatchNorm(OnnxGraphBuilder graph, string name, BatchNorm2d norm, string input)
    {
        if (norm.running_mean is not { } mean || norm.running_var is not { } variance || norm.bias is not { } bias)
        {
            throw new NotSupportedException(
                $"Layer {name} needs running statistics and a learned scale and shift to be exported."
            );
        }

        return graph.AddNode(
            "BatchNormalization",
            [
                input,
                graph.AddInitializer(name + ".weight", ToArray(norm.weight), norm.weight.shape),
                graph.AddInitializer(name + ".bias", ToArray(bias), bias.shape),
                graph.AddInitializer(name + ".running_mean", ToArray(mean), mean.shape),
                graph.AddInitializer(name + ".running_var", ToArray(variance), variance.shape),
            ],
            [graph.UniqueName(name)],
            OnnxAttribute.Float("epsilon", (float)norm.eps)
        );
    }

    /// <summary>Gemm with <c>transB = 1</c>, matching <c>torch.nn.Linear</c>'s <c>[out, in]</c> weight.</summary>
    public static string Linear(OnnxGraphBuilder graph, string name, Linear linear, string input)
    {
        string w = graph.AddInitializer(name + ".weight", ToArray(linear.weight!), linear.weight!.shape);
        string b = graph.AddInitializer(name + ".bias", ToArray(linear.bias!), linear.bias!.shape);
        return graph.AddNode("Gemm", [input, w, b], [graph.UniqueName(name)], OnnxAttribute.Int("transB", 1));
    }

    /// <summary>Rectified linear unit.</summary>
    public static string Relu(OnnxGraphBuilder graph, string input) =>
        graph.AddNode("Relu", [input], [graph.UniqueName("relu")]);

    /// <summary>Elementwise sum of two tensors of the same shape, as a residual connection.</summary>
    public static string Add(OnnxGraphBuilder graph, string left, string right) =>
        graph.AddNode("Add", [left, right], [graph.UniqueName("sum")]);

    /// <summary>2 x 2 max pooling with stride 2 and floor rounding, as <c>torch.nn.MaxPool2d(2)</c>.</summary>
    public static string MaxPool2(OnnxGraphBuilder graph, string input) =>
        MaxPool(graph, input, kernel: 2, stride: 2, padding: 0);

    /// <summary>Square max pooling with floor rounding, as <c>torch.nn.functional.max_pool2d(x, kernel, stride,
    /// padding)</c>; padded cells never win, in ONNX as in TorchSharp.</summary>
    public static string MaxPool(OnnxGraphBuilder graph, string input, long kernel, long stride, long padding) =>
        graph.AddNode(
            "MaxPool",
            [input],
            [graph.UniqueName("pool")],
            OnnxAttribute.Ints("kernel_shape", kernel, kernel),
            OnnxAttribute.Ints("strides", stride, stride),
            OnnxAttribute.Ints("pads", padding, padding, padding, padding)
        );

    /// <summary>Mean over each channel's height and width, <c>[N, C, H, W]</c> to <c>[N, C, 1, 1]</c>.</summary>
    public static string GlobalAveragePool(OnnxGraphBuilder graph, string input) =>
        graph.AddNode("GlobalAveragePool", [input], [graph.UniqueName("average")]);

    /// <summary>Flattens <c>[N, ...]</c> to <c>[N, rest]</c> in C order, as <c>torch.flatten(x, 1)</c>.</summary>
    public static string Flatten(OnnxGraphBuilder graph, string input) =>
        graph.AddNode("Flatten", [input], [graph.UniqueName("flat")], OnnxAttribute.Int("axis", 1));

    private static float[] ToArray(Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        return cpu.data<float>().ToArray();
    }
}
