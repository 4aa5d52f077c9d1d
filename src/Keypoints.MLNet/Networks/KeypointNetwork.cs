using Keypoints.MLNet.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// A TorchSharp network that maps a batch of normalized images <c>[N, C, H, W]</c> to scaled
/// keypoint coordinates <c>[N, 2K]</c> (each coordinate as (pixel - size/2) / (size/2)), and
/// can write the same computation into an ONNX graph.
/// </summary>
internal abstract class KeypointNetwork : nn.Module<Tensor, Tensor>
{
    protected KeypointNetwork(string name, NetworkInput input, int outputs) : base(name)
    {
        Input = input;
        Outputs = outputs;
    }

    /// <summary>The input geometry the network was built for.</summary>
    public NetworkInput Input { get; }

    /// <summary>Number of outputs, <c>2K</c>.</summary>
    public int Outputs { get; }

    /// <summary>Appends the network's nodes to <paramref name="graph"/>, reading the NCHW tensor
    /// <paramref name="input"/>, and returns the name of the <c>[N, 2K]</c> output tensor.
    /// Weights are read from the module as it is now (call in eval mode; dropout is the identity).</summary>
    public abstract string ExportOnnx(OnnxGraphBuilder graph, string input);
}
