using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// Integral regression (Sun et al., 2018) over a trunk's stages: from the deepest stage's feature maps, one step per
/// shallower stage scales the maps to that stage's height and width (nearest neighbour), joins that stage's maps to
/// them (channel concatenation, as in U-Net) and applies conv 3x3, batch norm and rectification with <see
/// cref="Channels"/> channels; then a 1x1 convolution draws one heatmap per keypoint, and each keypoint is its heatmap's
/// soft-argmax: the mean position of its cells weighted by the softmax of the heatmap. A cell stands for the centre of
/// the image region it covers, in the network's scaled coordinates (-1 at the image's left or top edge, 1 at the right
/// or bottom), so every prediction lies inside the image, at least half a cell from its edges. Maps the stages'
/// <c>[N, C, h, w]</c> features, deepest first, to <c>[N, 2K]</c> coordinates (x, y per keypoint).
/// </summary>
internal sealed class IntegralHead : Module
{
    /// <summary>The channels of the steps.</summary>
    public const long Channels = 64;

    private readonly ModuleList<Conv2d> convs;
    private readonly ModuleList<BatchNorm2d> norms;
    private readonly Conv2d heatmaps;
    private readonly (long Height, long Width)[] sides;
    private readonly float[] cellX;
    private readonly float[] cellY;

    /// <summary>Creates the head for a trunk's stages, deepest first: <paramref name="stageChannels"/> feature maps of
    /// <paramref name="stageSides"/> cells each, and <paramref name="keypoints"/> keypoints. The heatmaps have the last
    /// (shallowest) stage's cells.</summary>
    public IntegralHead(
        IReadOnlyList<long> stageChannels,
        IReadOnlyList<(long Height, long Width)> stageSides,
        int keypoints
    )
        : base(nameof(IntegralHead))
    {
        var convList = new List<Conv2d>();
        var normList = new List<BatchNorm2d>();
        for (int step = 1; step < stageChannels.Count; step++)
        {
            long channels = (step == 1 ? stageChannels[0] : Channels) + stageChannels[step];
            // No convolution bias: the batch norm that follows subtracts any constant the bias would add.
            convList.Add(Conv2d(channels, Channels, 3, padding: 1, bias: false));
            normList.Add(BatchNorm2d(Channels));
        }
        convs = ModuleList(convList.ToArray());
        norms = ModuleList(normList.ToArray());
        heatmaps = Conv2d(Channels, keypoints, 1);
        sides = [.. stageSides];
        (cellX, cellY) = CellCentres(sides[^1].Height, sides[^1].Width);
        RegisterComponents();
    }

    /// <summary>The <c>[N, 2K]</c> coordinates from the stages' feature maps, deepest first.</summary>
    public Tensor Forward(IReadOnlyList<Tensor> stages)
    {
        using var scope = NewDisposeScope();
        var x = stages[0];
        for (int i = 0; i < convs.Count; i++)
        {
            var (height, width) = sides[i + 1];
            x = functional.interpolate(x, size: [height, width], mode: InterpolationMode.Nearest);
            x = cat([x, stages[i + 1]], 1);
            // Channels-last input: see Conv6.ChannelsLast.
            x = norms[i].forward(convs[i].forward(Conv6.ChannelsLast(x))).relu_();
        }
        // The heatmap convolution reads contiguous NCHW: oneDNN's channels-last 1x1 convolution to 68 channels is wrong
        // (docs/decisions.md#channels-last-convolutions).
        var weights = functional.softmax(heatmaps.forward(x.contiguous()).flatten(2), -1);
        var centres = stack([tensor(cellX, device: weights.device), tensor(cellY, device: weights.device)], 1);
        return weights.matmul(centres).flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>Appends the head's nodes to <paramref name="graph"/>, naming weights after <paramref name="name"/>,
    /// and returns the name of the <c>[N, 2K]</c> output; <paramref name="stages"/> name the stages' outputs, deepest
    /// first.</summary>
    /// <remarks>The cell centres are two rank-1 constants, which the int8 and float16 weight formats leave float32
    /// (<see cref="OnnxWeightCompression"/>).</remarks>
    public string ExportOnnx(OnnxGraphBuilder graph, string name, IReadOnlyList<string> stages)
    {
        string x = stages[0];
        for (int i = 0; i < convs.Count; i++)
        {
            x = graph.Apply("Concat", [Resize(graph, x, sides[i + 1]), stages[i + 1]], OnnxAttribute.Int("axis", 1));
            string conv = OnnxLayerWriter.Conv(graph, $"{name}.convs.{i}", convs[i], x);
            x = OnnxLayerWriter.Relu(graph, OnnxLayerWriter.BatchNorm(graph, $"{name}.norms.{i}", norms[i], conv));
        }
        string maps = OnnxLayerWriter.Conv(graph, $"{name}.heatmaps", heatmaps, x);
        string flat = graph.Apply("Reshape", maps, graph.Constant([0L, 0L, -1L], 3));
        string weights = graph.Apply("Softmax", [flat], OnnxAttribute.Int("axis", -1));
        string axis = graph.Constant([2L], 1);
        string xs = graph.Apply("Unsqueeze", graph.Apply("MatMul", weights, graph.Constant(cellX, cellX.Length)), axis);
        string ys = graph.Apply("Unsqueeze", graph.Apply("MatMul", weights, graph.Constant(cellY, cellY.Length)), axis);
        string pairs = graph.Apply("Concat", [xs, ys], OnnxAttribute.Int("axis", 2));
        return graph.Apply("Reshape", pairs, graph.Constant([0L, -1L], 2));
    }

    /// <summary>Nearest-neighbour resizing of <paramref name="input"/> to <paramref name="side"/> cells, as
    /// <c>interpolate</c> does it: output cell <c>i</c> reads input cell <c>floor(i * in / out)</c>. The target is
    /// given as sizes (the batch and channel counts read from the input's shape), since a scale factor such as 5/3
    /// has no exact float and could round the output size down.</summary>
    private static string Resize(OnnxGraphBuilder graph, string input, (long Height, long Width) side)
    {
        string batchAndChannels = graph.Apply(
            "Slice",
            graph.Apply("Shape", input),
            graph.Constant([0L], 1),
            graph.Constant([2L], 1)
        );
        string sizes = graph.Apply(
            "Concat",
            [batchAndChannels, graph.Constant([side.Height, side.Width], 2)],
            OnnxAttribute.Int("axis", 0)
        );
        return graph.Apply(
            "Resize",
            [input, "", "", sizes],
            OnnxAttribute.String("mode", "nearest"),
            OnnxAttribute.String("coordinate_transformation_mode", "asymmetric"),
            OnnxAttribute.String("nearest_mode", "floor")
        );
    }

    /// <summary>The scaled x and y of each cell's centre of a <paramref name="height"/> x <paramref name="width"/>
    /// heatmap, in row-major cell order.</summary>
    private static (float[] X, float[] Y) CellCentres(long height, long width)
    {
        var (xs, ys) = (new float[height * width], new float[height * width]);
        for (long row = 0; row < height; row++)
        {
            for (long column = 0; column < width; column++)
            {
                xs[row * width + column] = (float)((column + 0.5) / width * 2 - 1);
                ys[row * width + column] = (float)((row + 0.5) / height * 2 - 1);
            }
        }
        return (xs, ys);
    }
}
