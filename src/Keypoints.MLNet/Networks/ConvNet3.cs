using static TorchSharp.torch;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// Nouri's net2: three convolutions (32 filters 3x3, 64 of 2x2, 128 of 2x2), each followed by
/// rectification and 2x2 max pooling, then two dense layers of 500 rectified units and a linear output.
/// </summary>
internal sealed class ConvNet3 : NouriTrunkNetwork
{
    /// <summary>Creates the network for images of <paramref name="input"/> shape and <paramref name="outputs"/>
    /// coordinates.</summary>
    public ConvNet3(NetworkInput input, int outputs)
        : base(nameof(ConvNet3), input, outputs, hidden: 500) => RegisterComponents();

    /// <inheritdoc/>
    public override Tensor Features(Tensor input) =>
        ConvReluPool(conv3, ConvReluPool(conv2, ConvReluPool(conv1, input)));
}
