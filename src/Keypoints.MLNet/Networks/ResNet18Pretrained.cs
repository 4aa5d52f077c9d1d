using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// ResNet-18 at full width (64, 128, 256 and 512 channels) starting from ImageNet weights (<see
/// cref="ImageNetResNet18Weights"/>), with a new linear output over global average pooling. It has the blocks of the
/// weights' file: ML.NET's has 2, 2, 2 and 3 basic blocks per stage, one block more than the paper's ResNet-18 in the
/// last stage. Takes pixels in [0, 1] (the trainer's default pixel scaling) and applies the pretrained network's own
/// input scaling first: <c>255 * (x - mean)</c> with the ImageNet means per channel, in TorchSharp and in the exported
/// graph. Any image size from 32 x 32; the pretrained network's asymmetric padding equals this network's symmetric
/// padding when the side is a multiple of 32.
/// </summary>
/// <remarks>
/// A grey image stands for three equal colour planes: the grey stem's filters are the sum of the three colour filters,
/// the pixel mean is the mean of the three channel means, and a bias adds back what the channels' different means
/// contributed (docs/decisions.md#grey-imagenet-stem).
/// </remarks>
internal sealed class ResNet18Pretrained : KeypointNetwork
{
    /// <summary>The name of the ImageNet pixel means in the exported graph, which only this network writes.</summary>
    internal const string PixelMeanInitializer = "imagenet_pixel_mean";

    /// <summary>Residual stages of <see cref="BasicBlock"/>s.</summary>
    public const int Stages = 4;

    private static readonly long[] StageChannels = [64, 128, 256, 512];

    private readonly float[] pixelMeans;
    private readonly Conv2d stem;
    private readonly BatchNorm2d stemBn;
    private readonly ModuleList<BasicBlock> blocks;
    private readonly Linear output;
    private readonly Module[] frozen;

    /// <summary>Creates the network for images of <paramref name="input"/> shape and <paramref name="outputs"/>
    /// coordinates, with the stem and the first <paramref name="frozenStages"/> residual stages frozen (0 to <see
    /// cref="Stages"/>).</summary>
    /// <exception cref="FileNotFoundException">The ImageNet weights are not in the app's output folder (see <see
    /// cref="ImageNetResNet18Weights"/>).</exception>
    public ResNet18Pretrained(NetworkInput input, int outputs, int frozenStages, ImageNetResNet18Weights weights)
        : base(nameof(ResNet18Pretrained), input, outputs)
    {
        if (input.Height < 32 || input.Width < 32)
        {
            throw new ArgumentException(
                $"ResNet18Pretrained needs images of at least 32 x 32 pixels; got {input.Width} x {input.Height}.",
                nameof(input)
            );
        }

        ArgumentOutOfRangeException.ThrowIfNegative(frozenStages);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(frozenStages, Stages);
        bool grey = input.Channels == 1;
        stem = Conv2d(input.Channels, StageChannels[0], 7, stride: 2, padding: 3, bias: grey);
        stemBn = BatchNorm2d(StageChannels[0]);
        var list = new List<BasicBlock>();
        long channels = StageChannels[0];
        for (int stage = 0; stage < Stages; stage++)
        {
            list.Add(new BasicBlock(channels, StageChannels[stage], stride: stage == 0 ? 1 : 2));
            for (int block = 1; block < weights.StageBlocks[stage]; block++)
                list.Add(new BasicBlock(StageChannels[stage], StageChannels[stage], stride: 1));
            channels = StageChannels[stage];
        }
        blocks = ModuleList(list.ToArray());
        output = Linear(channels, outputs);
        RegisterComponents();

        float[] means = weights.ChannelMeans.Select(m => m / 255f).ToArray();
        pixelMeans = grey ? [means.Average()] : means;
        Load(weights, grey);
        frozen = frozenStages == 0 ? [] : [stem, stemBn, .. blocks.Take(weights.StageBlocks.Take(frozenStages).Sum())];
        foreach (var module in frozen)
        {
            foreach (var parameter in module.parameters())
                parameter.requires_grad = false;
        }
    }

    /// <inheritdoc/>
    /// <remarks>The batch norms of frozen stages stay in evaluation mode, normalizing with ImageNet's running
    /// statistics (docs/decisions.md#frozen-batch-norms).</remarks>
    public override void train(bool train = true)
    {
        base.train(train);
        if (train)
        {
            foreach (var module in frozen)
                module.eval();
        }
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = Features(input).mean([2, 3]);
        return output.forward(x).MoveToOuterDisposeScope();
    }

    /// <inheritdoc/>
    public override Tensor Features(Tensor input)
    {
        var means = tensor(pixelMeans, [1, pixelMeans.Length, 1, 1], device: input.device);
        // In-place rectification: batch norm's backward pass needs its input, not its output.
        var x = functional.max_pool2d(stemBn.forward(stem.forward((input - means) * 255f)).relu_(), 3, 2, 1);
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
        string centered = graph.AddNode(
            "Sub",
            [input, graph.AddInitializer(PixelMeanInitializer, pixelMeans, 1, pixelMeans.Length, 1, 1)],
            [graph.UniqueName("centered")]
        );
        string x = graph.AddNode(
            "Mul",
            [centered, graph.AddInitializer("imagenet_pixel_scale", [255f], 1)],
            [graph.UniqueName("scaled")]
        );
        x = OnnxLayerWriter.Relu(
            graph,
            OnnxLayerWriter.BatchNorm(graph, "stem_bn", stemBn, OnnxLayerWriter.Conv(graph, "stem", stem, x))
        );
        x = OnnxLayerWriter.MaxPool(graph, x, kernel: 3, stride: 2, padding: 1);
        for (int i = 0; i < blocks.Count; i++)
            x = blocks[i].ExportOnnx(graph, $"blocks.{i}", x);
        x = OnnxLayerWriter.Flatten(graph, OnnxLayerWriter.GlobalAveragePool(graph, x));
        return OnnxLayerWriter.Linear(graph, "output", output, x);
    }

    /// <summary>Copies the ImageNet weights into every layer but the output; for a grey network, folds the stem's
    /// colour filters and channel means as the class remarks say.</summary>
    private void Load(ImageNetResNet18Weights weights, bool grey)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        foreach (var (name, destination) in state_dict())
        {
            if (
                name.StartsWith("output.", StringComparison.Ordinal)
                || name.EndsWith(".num_batches_tracked", StringComparison.Ordinal)
                || (grey && name == "stem.bias")
            )
            {
                continue;
            }

            if (!weights.Tensors.TryGetValue(name, out var source))
                throw new InvalidDataException($"The ImageNet ResNet-18 has no weights for layer '{name}'.");
            var values = tensor(source.Values, source.Dims);
            if (grey && name == "stem.weight")
            {
                var means = tensor(weights.ChannelMeans.ToArray());
                // Per output channel and colour, the filter's sum times (mean of the means - the colour's mean).
                stem.bias!.copy_((values.sum([2, 3]) * (means.mean() - means)).sum(1));
                values = values.sum(1, keepdim: true);
            }
            if (!values.shape.SequenceEqual(destination.shape))
            {
                throw new InvalidDataException(
                    $"The ImageNet ResNet-18's weights for layer '{name}' have shape "
                        + $"[{string.Join(", ", values.shape)}]; "
                        + $"the layer has [{string.Join(", ", destination.shape)}]."
                );
            }

            destination.copy_(values);
        }
    }
}
