using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// Nouri's net2: three convolutions (32 filters 3x3, 64 of 2x2, 128 of 2x2), each followed by
/// rectification and 2x2 max pooling, then two dense layers of 500 rectified units and a linear output.
/// </summary>
internal sealed class ConvNet3 : KeypointNetwork
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Conv2d conv3;
    private readonly Linear dense1;
    private readonly Linear dense2;
    private readonly Linear output;

    /// <summary>Creates the network for images of <paramref name="input"/> shape and <paramref name="outputs"/> coordinates.</summary>
    public ConvNet3(NetworkInput input, int outputs) : base(nameof(ConvNet3), input, outputs)
    {
        conv1 = Conv2d(input.Channels, 32, 3);
        conv2 = Conv2d(32, 64, 2);
        conv3 = Conv2d(64, 128, 2);
        int h = NouriFeatureSize(input.Height, nameof(ConvNet3), input);
        int w = NouriFeatureSize(input.Width, nameof(ConvNet3), input);
        dense1 = Linear(128 * h * w, 500);
        dense2 = Linear(500, 500);
        output = Linear(500, outputs);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(dense1.forward(Features(input).flatten(1)));
        x = functional.relu(dense2.forward(x));
        return output.forward(x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor Features(Tensor input) =>
        ConvReluPool(conv3, ConvReluPool(conv2, ConvReluPool(conv1, input)));

    /// <inheritdoc/>
    public override IEnumerable<Parameter> TrunkParameters() => [.. conv1.parameters(), .. conv2.parameters(), .. conv3.parameters()];

    /// <inheritdoc/>
    public override string ExportOnnx(OnnxGraphBuilder graph, string input)
    {
        var x = input;
        foreach (var (name, conv) in new[] { ("conv1", conv1), ("conv2", conv2), ("conv3", conv3) })
            x = ExportConvReluPool(graph, name, conv, x);
        return ExportDenseHead(graph, x, dense1, dense2, output);
    }
}
