using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// Nouri's net7: the convolutions of <see cref="ConvNet3"/> (32 filters 3x3, 64 of 2x2, 128 of 2x2, each
/// followed by rectification and 2x2 max pooling) with dropout of 0.1, 0.2 and 0.3 after the three pools,
/// then a dense layer of 1000 rectified units, dropout 0.5, a second dense layer of 1000 rectified units
/// and a linear output.
/// </summary>
/// <remarks>
/// Dropout zeroes single activations (not whole feature maps), as Lasagne's DropoutLayer does, and only
/// in training mode; in eval mode and in the exported ONNX graph it is the identity.
/// </remarks>
internal sealed class NouriDropout : NouriTrunkNetwork
{
    private readonly Dropout dropout1;
    private readonly Dropout dropout2;
    private readonly Dropout dropout3;
    private readonly Dropout dropout4;

    /// <summary>Creates the network for images of <paramref name="input"/> shape and <paramref name="outputs"/>
    /// coordinates.</summary>
    public NouriDropout(NetworkInput input, int outputs)
        : base(nameof(NouriDropout), input, outputs, hidden: 1000)
    {
        dropout1 = Dropout(0.1);
        dropout2 = Dropout(0.2);
        dropout3 = Dropout(0.3);
        dropout4 = Dropout(0.5);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor Features(Tensor input)
    {
        var x = dropout1.forward(ConvReluPool(conv1, input));
        x = dropout2.forward(ConvReluPool(conv2, x));
        return dropout3.forward(ConvReluPool(conv3, x));
    }

    /// <inheritdoc/>
    protected override Tensor AfterFirstDense(Tensor x) => dropout4.forward(x);
}
