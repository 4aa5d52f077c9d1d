using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>Nouri's net1: the flattened image, one hidden layer of 100 rectified units, a linear output.</summary>
internal sealed class Mlp : KeypointNetwork
{
    private readonly Linear hidden;
    private readonly Linear output;

    /// <summary>Creates the network for images of <paramref name="input"/> shape and <paramref name="outputs"/>
    /// coordinates.</summary>
    public Mlp(NetworkInput input, int outputs, int hiddenUnits = 100)
        : base(nameof(Mlp), input, outputs)
    {
        hidden = Linear(input.Size, hiddenUnits);
        output = Linear(hiddenUnits, outputs);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var flat = input.flatten(1);
        using var h = functional.relu(hidden.forward(flat));
        return output.forward(h);
    }

    /// <inheritdoc/>
    public override string ExportOnnx(OnnxGraphBuilder graph, string input)
    {
        string x = OnnxLayerWriter.Flatten(graph, input);
        x = OnnxLayerWriter.Relu(graph, OnnxLayerWriter.Linear(graph, "hidden", hidden, x));
        return OnnxLayerWriter.Linear(graph, "output", output, x);
    }
}
