using Keypoints.MLNet.Onnx;
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
internal sealed class NouriDropout : KeypointNetwork
{
    private readonly Conv2d conv1;
    private readonly Dropout dropout1;
    private readonly Conv2d conv2;
    private readonly Dropout dropout2;
    private readonly Conv2d conv3;
    private readonly Dropout dropout3;
    private readonly Linear dense1;
    private readonly Dropout dropout4;
    private readonly Linear dense2;
    private readonly Linear output;

    /// <summary>Creates the network for images of <paramref name="input"/> shape and <paramref name="outputs"/> coordinates.</summary>
    public NouriDropout(NetworkInput input, int outputs) : base(nameof(NouriDropout), input, outputs)
    {
        conv1 = Conv2d(input.Channels, 32, 3);
        dropout1 = Dropout(0.1);
        conv2 = Conv2d(32, 64, 2);
        dropout2 = Dropout(0.2);
        conv3 = Conv2d(64, 128, 2);
        dropout3 = Dropout(0.3);
        int h = NouriFeatureSize(input.Height, nameof(NouriDropout), input);
        int w = NouriFeatureSize(input.Width, nameof(NouriDropout), input);
        dense1 = Linear(128 * h * w, 1000);
        dropout4 = Dropout(0.5);
        dense2 = Linear(1000, 1000);
        output = Linear(1000, outputs);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // In-place rectification: convolutions and dense layers need their input, not their output,
        // for the backward pass, so overwriting the output saves one activation copy per layer.
        var x = dropout4.forward(dense1.forward(Features(input).flatten(1)).relu_());
        x = dense2.forward(x).relu_();
        return output.forward(x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor Features(Tensor input)
    {
        var x = dropout1.forward(ConvReluPool(conv1, input));
        x = dropout2.forward(ConvReluPool(conv2, x));
        return dropout3.forward(ConvReluPool(conv3, x));
    }

    /// <inheritdoc/>
    public override IEnumerable<Parameter> TrunkParameters() => [.. conv1.parameters(), .. conv2.parameters(), .. conv3.parameters()];

    /// <inheritdoc/>
    public override string ExportOnnx(OnnxGraphBuilder graph, string input)
    {
        // No Dropout nodes: the graph scores, and scoring is eval mode, where dropout is the identity.
        var x = input;
        foreach (var (name, conv) in new[] { ("conv1", conv1), ("conv2", conv2), ("conv3", conv3) })
            x = ExportConvReluPool(graph, name, conv, x);
        return ExportDenseHead(graph, x, dense1, dense2, output);
    }
}
