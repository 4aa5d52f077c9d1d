using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>The trunk of Nouri's nets: three unpadded convolutions (<c>conv1</c> 32 filters 3x3, <c>conv2</c> 64 of
/// 2x2,
/// <c>conv3</c> 128 of 2x2), each followed by rectification and 2x2 max pooling; then the dense head.</summary>
/// <exception cref="ArgumentException">The image is smaller than 14 x 14 pixels.</exception>
internal abstract class NouriTrunkNetwork : DenseHeadNetwork
{
    protected readonly Conv2d conv1;
    protected readonly Conv2d conv2;
    protected readonly Conv2d conv3;

    protected NouriTrunkNetwork(string name, NetworkInput input, int outputs, int hidden)
        : base(name, input, outputs)
    {
        conv1 = Conv2d(input.Channels, 32, 3);
        conv2 = Conv2d(32, 64, 2);
        conv3 = Conv2d(64, 128, 2);
        CreateDenseHead(128 * FeatureSize(input.Height, name, input) * FeatureSize(input.Width, name, input), hidden);
    }

    /// <inheritdoc/>
    public override IEnumerable<Parameter> TrunkParameters() =>
        [.. conv1.parameters(), .. conv2.parameters(), .. conv3.parameters()];

    /// <inheritdoc/>
    protected override string ExportFeatures(OnnxGraphBuilder graph, string input)
    {
        string x = input;
        foreach (var (name, conv) in new[] { ("conv1", conv1), ("conv2", conv2), ("conv3", conv3) })
            x = ExportConvReluPool(graph, name, conv, x);
        return x;
    }

    /// <summary>Side length after the three conv + pool blocks; throws when the image is too small.</summary>
    private static int FeatureSize(int side, string network, NetworkInput input)
    {
        int size = ((((side - 2) / 2) - 1) / 2 - 1) / 2;
        if (size < 1)
        {
            throw new ArgumentException(
                $"{network} needs images of at least 14 x 14 pixels; got {input.Width} x {input.Height}.",
                nameof(input)
            );
        }

        return size;
    }
}
