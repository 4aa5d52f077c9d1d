using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// A ResNet-18-style network trained from scratch: a stem (conv 7x7 stride 2 with padding 3, batch norm,
/// rectification, 3x3 max pooling stride 2 with padding 1), four stages of two <see cref="BasicBlock"/>s
/// with 32, 64, 128 and 256 channels (the second to fourth start with stride 2), global average pooling
/// and a linear output; or, as <see cref="KeypointArchitecture.ResNet18Integral"/>, an <see cref="IntegralHead"/> over
/// the last stage instead of the pooling and the linear output. On 96 x 96 grey faces the stages see 24, 12, 6 and 3
/// pixels square, and the integral head's heatmaps 12.
/// </summary>
/// <remarks>
/// The channel counts are half those of ResNet-18 (64 to 512): a quarter of the multiply-adds and of the
/// 11 million weights, so that the network trains at a usable speed on a few CPU cores.
/// </remarks>
internal sealed class ResNet18 : KeypointNetwork
{
    private static readonly long[] StageChannels = [32, 64, 128, 256];

    private readonly Conv2d stem;
    private readonly BatchNorm2d stemBn;
    private readonly ModuleList<BasicBlock> blocks;
    private readonly Linear? output;
    private readonly IntegralHead? integralHead;

    /// <summary>Creates the network for images of <paramref name="input"/> shape and <paramref name="outputs"/>
    /// coordinates, with the linear output or, when <paramref name="integral"/>, the <see
    /// cref="IntegralHead"/>.</summary>
    public ResNet18(NetworkInput input, int outputs, bool integral = false)
        : base(integral ? nameof(KeypointArchitecture.ResNet18Integral) : nameof(ResNet18), input, outputs)
    {
        // The stem and three stride-2 stages divide the size by 32; smaller images would vanish.
        if (input.Height < 32 || input.Width < 32)
        {
            throw new ArgumentException(
                $"ResNet18 needs images of at least 32 x 32 pixels; got {input.Width} x {input.Height}.",
                nameof(input)
            );
        }

        stem = Conv2d(input.Channels, StageChannels[0], 7, stride: 2, padding: 3, bias: false);
        stemBn = BatchNorm2d(StageChannels[0]);
        var list = new List<BasicBlock>();
        long channels = StageChannels[0];
        for (int stage = 0; stage < StageChannels.Length; stage++)
        {
            list.Add(new BasicBlock(channels, StageChannels[stage], stride: stage == 0 ? 1 : 2));
            list.Add(new BasicBlock(StageChannels[stage], StageChannels[stage], stride: 1));
            channels = StageChannels[stage];
        }
        blocks = ModuleList(list.ToArray());
        if (integral)
        {
            integralHead = new IntegralHead(
                channels,
                outputs / 2,
                LastStageSide(input.Height),
                LastStageSide(input.Width)
            );
        }
        else
        {
            output = Linear(channels, outputs);
        }
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = Features(input);
        var x = integralHead is null ? output!.forward(features.mean([2, 3])) : integralHead.forward(features);
        return x.MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor Features(Tensor input)
    {
        // In-place rectification: batch norm's backward pass needs its input, not its output.
        var x = functional.max_pool2d(stemBn.forward(stem.forward(input)).relu_(), 3, 2, 1);
        foreach (var block in blocks)
            x = block.forward(x);
        return x;
    }

    /// <inheritdoc/>
    public override IEnumerable<Parameter> TrunkParameters() =>
        [.. stem.parameters(), .. stemBn.parameters(), .. blocks.parameters()];

    /// <inheritdoc/>
    public override string ExportOnnx(OnnxGraphBuilder graph, string input)
    {
        string x = OnnxLayerWriter.Relu(
            graph,
            OnnxLayerWriter.BatchNorm(graph, "stem_bn", stemBn, OnnxLayerWriter.Conv(graph, "stem", stem, input))
        );
        x = OnnxLayerWriter.MaxPool(graph, x, kernel: 3, stride: 2, padding: 1);
        for (int i = 0; i < blocks.Count; i++)
            x = blocks[i].ExportOnnx(graph, $"blocks.{i}", x);
        if (integralHead is not null)
            return integralHead.ExportOnnx(graph, "integral_head", x);
        x = OnnxLayerWriter.Flatten(graph, OnnxLayerWriter.GlobalAveragePool(graph, x));
        return OnnxLayerWriter.Linear(graph, "output", output!, x);
    }

    /// <summary>The last stage's height or width for an image side of <paramref name="side"/>: the stem, the pooling
    /// and the three stride-2 stages each take a side <c>s</c> to <c>(s - 1) / 2 + 1</c>.</summary>
    private static long LastStageSide(long side)
    {
        for (int layer = 0; layer < 5; layer++)
            side = (side - 1) / 2 + 1;
        return side;
    }
}
