using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// A small network meant for Adam: two blocks of a 3x3 convolution with padding 1 (32 then 64 filters),
/// rectification and 2x2 max pooling, then two dense layers of 500 rectified units and a linear output.
/// On 96 x 96 faces the dense layers read 64 maps of 24 x 24.
/// </summary>
internal sealed class Conv2 : DenseHeadNetwork
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;

    /// <summary>Creates the network for images of <paramref name="input"/> shape and <paramref name="outputs"/>
    /// coordinates.</summary>
    /// <exception cref="ArgumentException">The image is smaller than 4 x 4 pixels.</exception>
    public Conv2(NetworkInput input, int outputs)
        : base(nameof(Conv2), input, outputs)
    {
        if (input.Height < 4 || input.Width < 4)
        {
            throw new ArgumentException(
                $"Conv2 needs images of at least 4 x 4 pixels; got {input.Width} x {input.Height}.",
                nameof(input)
            );
        }

        conv1 = Conv2d(input.Channels, 32, 3, padding: 1);
        conv2 = Conv2d(32, 64, 3, padding: 1);
        CreateDenseHead(64 * (input.Height / 4) * (input.Width / 4), 500);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor Features(Tensor input) => ConvReluPool(conv2, ConvReluPool(conv1, input));

    /// <inheritdoc/>
    public override IEnumerable<Parameter> TrunkParameters() => [.. conv1.parameters(), .. conv2.parameters()];

    /// <inheritdoc/>
    protected override string ExportFeatures(OnnxGraphBuilder graph, string input) =>
        ExportConvReluPool(graph, "conv2", conv2, ExportConvReluPool(graph, "conv1", conv1, input));
}
