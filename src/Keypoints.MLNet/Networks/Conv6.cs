using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// Six 3x3 convolutions with padding 1 and rectification, of 12, 20, 32, 40, 48 and 64 filters, with 2x2 max
/// pooling after the second, fourth and sixth; then two dense layers of 500 rectified units and a linear output.
/// On 96 x 96 faces the dense layers read 64 maps of 12 x 12.
/// </summary>
/// <remarks>The convolutions run on channels-last tensors (docs/decisions.md#channels-last-convolutions).</remarks>
internal sealed class Conv6 : DenseHeadNetwork
{
    private static readonly long[] Filters = [12, 20, 32, 40, 48, 64];

    private readonly ModuleList<Conv2d> convs;

    /// <summary>Creates the network for images of <paramref name="input"/> shape and <paramref name="outputs"/>
    /// coordinates.</summary>
    public Conv6(NetworkInput input, int outputs)
        : base(nameof(Conv6), input, outputs)
    {
        if (input.Height < 8 || input.Width < 8)
        {
            throw new ArgumentException(
                $"Conv6 needs images of at least 8 x 8 pixels; got {input.Width} x {input.Height}.",
                nameof(input)
            );
        }

        var layers = new Conv2d[Filters.Length];
        for (int i = 0; i < Filters.Length; i++)
            layers[i] = Conv2d(i == 0 ? input.Channels : Filters[i - 1], Filters[i], 3, padding: 1);
        convs = ModuleList(layers);
        CreateDenseHead(Filters[^1] * (input.Height / 8) * (input.Width / 8), 500);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor Features(Tensor input)
    {
        var x = input;
        for (int i = 0; i < convs.Count; i++)
        {
            // In-place rectification: a convolution's backward pass needs its input, not its output.
            x = convs[i].forward(ChannelsLast(x)).relu_();
            if (i % 2 == 1)
                x = functional.max_pool2d(x, 2);
        }
        return x;
    }

    /// <inheritdoc/>
    public override IEnumerable<Parameter> TrunkParameters() => convs.parameters();

    /// <inheritdoc/>
    protected override string ExportFeatures(OnnxGraphBuilder graph, string input)
    {
        string x = input;
        for (int i = 0; i < convs.Count; i++)
        {
            x = OnnxLayerWriter.Relu(graph, OnnxLayerWriter.Conv(graph, $"convs.{i}", convs[i], x));
            if (i % 2 == 1)
                x = OnnxLayerWriter.MaxPool2(graph, x);
        }
        return x;
    }

    /// <summary>The same <c>[N, C, H, W]</c> values with channels-last (NHWC) strides; no copy when they have them
    /// already.</summary>
    /// <remarks>Why every convolution's input: docs/decisions.md#channels-last-convolutions.</remarks>
    internal static Tensor ChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
