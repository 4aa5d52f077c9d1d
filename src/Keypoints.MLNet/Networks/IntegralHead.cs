using Keypoints.MLNet.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// Integral regression (Sun et al., 2018) over a trunk's last feature maps: <see cref="Steps"/> steps that double their
/// height and width (nearest neighbour, then conv 3x3, batch norm, rectification, <see cref="Channels"/> channels), a
/// 1x1 convolution to one heatmap per keypoint, and each heatmap's soft-argmax: the mean position of its cells weighted
/// by the softmax of the heatmap. A cell stands for the centre of the image region it covers, in the network's scaled
/// coordinates (-1 at the image's left or top edge, 1 at the right or bottom), so every prediction lies inside the
/// image, at least half a cell from its edges. Maps <c>[N, C, h, w]</c> features to <c>[N, 2K]</c> coordinates
/// (x, y per keypoint).
/// </summary>
internal sealed class IntegralHead : Module<Tensor, Tensor>
{
    /// <summary>How many times the head doubles the feature maps' height and width.</summary>
    public const int Steps = 2;

    /// <summary>The channels of the upsampling steps.</summary>
    public const long Channels = 64;

    private readonly ModuleList<Conv2d> convs;
    private readonly ModuleList<BatchNorm2d> norms;
    private readonly Conv2d heatmaps;
    private readonly float[] cellX;
    private readonly float[] cellY;

    /// <summary>Creates the head for <paramref name="inChannels"/> feature maps of <paramref name="height"/> x
    /// <paramref name="width"/> cells and <paramref name="keypoints"/> keypoints.</summary>
    public IntegralHead(long inChannels, int keypoints, long height, long width)
        : base(nameof(IntegralHead))
    {
        var convList = new List<Conv2d>();
        var normList = new List<BatchNorm2d>();
        for (int step = 0; step < Steps; step++)
        {
            // No convolution bias: the batch norm that follows subtracts any constant the bias would add.
            convList.Add(Conv2d(step == 0 ? inChannels : Channels, Channels, 3, padding: 1, bias: false));
            normList.Add(BatchNorm2d(Channels));
        }
        convs = ModuleList(convList.ToArray());
        norms = ModuleList(normList.ToArray());
        heatmaps = Conv2d(Channels, keypoints, 1);
        (cellX, cellY) = CellCentres(height << Steps, width << Steps);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = features;
        for (int i = 0; i < convs.Count; i++)
        {
            x = functional.interpolate(x, scale_factor: [2, 2], mode: InterpolationMode.Nearest);
            // Channels-last input: see Conv6.ChannelsLast.
            x = norms[i].forward(convs[i].forward(Conv6.ChannelsLast(x))).relu_();
        }
        // The heatmap convolution reads contiguous NCHW: oneDNN's channels-last 1x1 convolution to 68 channels is wrong
        // (docs/decisions.md#channels-last-convolutions).
        var weights = functional.softmax(heatmaps.forward(x.contiguous()).flatten(2), -1);
        // Made on each call rather than kept as a buffer: docs/decisions.md#integral-head.
        var centres = stack([tensor(cellX, device: weights.device), tensor(cellY, device: weights.device)], 1);
        return weights.matmul(centres).flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>Appends the head's nodes to <paramref name="graph"/>, naming weights after <paramref name="name"/>,
    /// and returns the name of the <c>[N, 2K]</c> output.</summary>
    /// <remarks>The cell centres are two rank-1 constants, which the int8 and float16 weight formats leave float32
    /// (<see cref="OnnxWeightCompression"/>).</remarks>
    public string ExportOnnx(OnnxGraphBuilder graph, string name, string input)
    {
        string x = input;
        string scales = graph.Constant([1f, 1f, 2f, 2f], 4);
        for (int i = 0; i < convs.Count; i++)
        {
            x = graph.Apply(
                "Resize",
                [x, "", scales],
                OnnxAttribute.String("mode", "nearest"),
                OnnxAttribute.String("coordinate_transformation_mode", "asymmetric"),
                OnnxAttribute.String("nearest_mode", "floor")
            );
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
