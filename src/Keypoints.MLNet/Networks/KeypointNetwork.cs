using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// A TorchSharp network that maps a batch of normalized images <c>[N, C, H, W]</c> to scaled
/// keypoint coordinates <c>[N, 2K]</c> (each coordinate as (pixel - size/2) / (size/2)), and
/// can write the same computation into an ONNX graph.
/// </summary>
internal abstract class KeypointNetwork : nn.Module<Tensor, Tensor>
{
    protected KeypointNetwork(string name, NetworkInput input, int outputs)
        : base(name)
    {
        Input = input;
        Outputs = outputs;
    }

    /// <summary>The input geometry the network was built for.</summary>
    public NetworkInput Input { get; }

    /// <summary>Number of outputs, <c>2K</c>.</summary>
    public int Outputs { get; }

    /// <summary>The convolutional trunk alone: the <c>[N, C', H', W']</c> feature maps that the dense head reads,
    /// used by the denoising-autoencoder pre-training. Intermediate tensors go to the caller's dispose scope.</summary>
    /// <exception cref="NotSupportedException">The network has no convolutional trunk (<see cref="Mlp"/>).</exception>
    public virtual Tensor Features(Tensor input) =>
        throw new NotSupportedException($"{GetName()} has no convolutional trunk to pre-train.");

    /// <summary>The weights of the layers that <see cref="Features"/> runs; empty when there is no trunk.</summary>
    public virtual IEnumerable<Parameter> TrunkParameters() => [];

    /// <summary>Convolution, in-place rectification, 2x2 max pooling: the block Nouri's nets repeat.
    /// In place is safe because a convolution's backward pass needs its input, not its output.</summary>
    protected static Tensor ConvReluPool(Conv2d conv, Tensor input) =>
        nn.functional.max_pool2d(conv.forward(input).relu_(), 2);

    /// <summary>Writes <see cref="ConvReluPool"/> as ONNX nodes and returns the output tensor's name.</summary>
    protected static string ExportConvReluPool(OnnxGraphBuilder graph, string name, Conv2d conv, string input) =>
        OnnxLayerWriter.MaxPool2(graph, OnnxLayerWriter.Relu(graph, OnnxLayerWriter.Conv(graph, name, conv, input)));

    /// <summary>Appends the network's nodes to <paramref name="graph"/>, reading the NCHW tensor
    /// <paramref name="input"/>, and returns the name of the <c>[N, 2K]</c> output tensor.
    /// Weights are read from the module as it is now (call in eval mode; dropout is the identity).</summary>
    public abstract string ExportOnnx(OnnxGraphBuilder graph, string input);
}
