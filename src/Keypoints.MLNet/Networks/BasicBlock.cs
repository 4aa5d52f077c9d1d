using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// The basic residual block of ResNet-18 (He et al., 2015): conv 3x3 (stride 1 or 2), batch norm, rectification,
/// conv 3x3, batch norm, plus the shortcut, then rectification. The shortcut is the input itself, or a 1x1
/// convolution with batch norm when the block changes the resolution or the channel count.
/// </summary>
internal sealed class BasicBlock : Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d? downsample;
    private readonly BatchNorm2d? downsampleBn;

    /// <summary>Creates a block from <paramref name="inChannels"/> to <paramref name="outChannels"/> feature maps,
    /// dividing the height and width by <paramref name="stride"/>.</summary>
    public BasicBlock(long inChannels, long outChannels, long stride)
        : base(nameof(BasicBlock))
    {
        // No convolution bias: the batch norm that follows subtracts any constant the bias would add.
        conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        if (stride != 1 || inChannels != outChannels)
        {
            downsample = Conv2d(inChannels, outChannels, 1, stride: stride, bias: false);
            downsampleBn = BatchNorm2d(outChannels);
        }
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        // In-place operations are safe here: batch norm's backward pass needs its input and saved
        // statistics, not its output, and addition needs neither operand.
        var x = bn1.forward(conv1.forward(input)).relu_();
        x = bn2.forward(conv2.forward(x));
        var shortcut = downsample is null ? input : downsampleBn!.forward(downsample.forward(input));
        return x.add_(shortcut).relu_().MoveToOuterDisposeScope();
    }

    /// <summary>Appends the block's nodes to <paramref name="graph"/>, naming weights after <paramref name="name"/>,
    /// and returns the output tensor's name.</summary>
    public string ExportOnnx(OnnxGraphBuilder graph, string name, string input)
    {
        string x = OnnxLayerWriter.Relu(
            graph,
            OnnxLayerWriter.BatchNorm(
                graph,
                name + ".bn1",
                bn1,
                OnnxLayerWriter.Conv(graph, name + ".conv1", conv1, input)
            )
        );
        x = OnnxLayerWriter.BatchNorm(
            graph,
            name + ".bn2",
            bn2,
            OnnxLayerWriter.Conv(graph, name + ".conv2", conv2, x)
        );
        string shortcut = downsample is null
            ? input
            : OnnxLayerWriter.BatchNorm(
                graph,
                name + ".downsample_bn",
                downsampleBn!,
                OnnxLayerWriter.Conv(graph, name + ".downsample", downsample, input)
            );
        return OnnxLayerWriter.Relu(graph, OnnxLayerWriter.Add(graph, x, shortcut));
    }
}
