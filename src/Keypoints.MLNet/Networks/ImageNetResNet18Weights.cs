using Keypoints.MLNet.Onnx;
using Node = (
    string OpType,
    System.Collections.Generic.IReadOnlyList<string> Inputs,
    System.Collections.Generic.IReadOnlyList<string> Outputs
);

namespace Keypoints.MLNet.Networks;

/// <summary>
/// The ImageNet weights of the ResNet-18 that the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1
/// (MIT licence, © Microsoft; ML.NET's <c>DnnImageFeaturizer</c>) copies into an app's output folder, read from its two
/// ONNX files:
/// <c>DnnImageModels/ResNet18Onnx/ResNet18.onnx</c> (a CNTK 2.6 export, opset 8: conv 7x7 stride 2, batch norm, max
/// pooling, four stages of basic blocks with 64, 128, 256 and 512 channels, 7x7 average pooling; batch norm kept as
/// separate
/// <c>BatchNormalization</c> nodes with epsilon 1e-5; 15.9 million weights) and
/// <c>DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx</c>, the preprocessing graph ML.NET runs first: it takes RGB
/// planes of 0-255 pixels, reorders them to BGR, and subtracts a 224 x 224 mean image (no division by a standard
/// deviation).
/// </summary>
/// <remarks>
/// The weights are found by the graph's structure, not by their names (<c>Parameter91</c>, ...): the stem is the
/// convolution that reads the graph input; each residual block is an <c>Add</c> of a conv-BN-ReLU-conv-BN branch and a
/// shortcut that is the block's input or a 1x1 conv-BN of it, and a stage starts at each block with a 1x1 shortcut. Any
/// other shape fails with
/// <see cref="InvalidDataException"/>. The mean image becomes one mean per channel
/// (docs/decisions.md#imagenet-resnet-18-weights).
/// </remarks>
internal sealed class ImageNetResNet18Weights
{
    /// <summary>The folder, under an app's base directory, where the package puts its models.</summary>
    public const string ModelsFolder = "DnnImageModels";

    private ImageNetResNet18Weights(
        IReadOnlyDictionary<string, (long[] Dims, float[] Values)> tensors,
        int[] stageBlocks,
        float[] channelMeans
    )
    {
        Tensors = tensors;
        StageBlocks = stageBlocks;
        ChannelMeans = channelMeans;
    }

    /// <summary>The weights by the names of <see cref="ResNet18Pretrained"/>'s state: <c>stem.weight</c> (<c>[64, 3, 7,
    /// 7]</c>, input channels in RGB order), <c>stemBn.weight</c>, <c>.bias</c>, <c>.running_mean</c>,
    /// <c>.running_var</c>, and for the eight blocks
    /// <c>blocks.{i}.conv1.weight</c>, <c>blocks.{i}.bn1.*</c>, <c>conv2</c>, <c>bn2</c>, and where the block has one,
    /// <c>downsample.weight</c> and <c>downsampleBn.*</c>, blocks numbered from 0 across the stages.</summary>
    public IReadOnlyDictionary<string, (long[] Dims, float[] Values)> Tensors { get; }

    /// <summary>How many residual blocks each of the four stages has, in order (2, 2, 2, 3 in ML.NET's file).</summary>
    public IReadOnlyList<int> StageBlocks { get; }

    /// <summary>The pixel means the network subtracts, red, green, blue, in grey levels 0-255.</summary>
    public IReadOnlyList<float> ChannelMeans { get; }

    /// <summary>Reads the weights from <paramref name="modelsFolder"/> (default: <see cref="ModelsFolder"/> under the
    /// app's base directory).</summary>
    /// <exception cref="FileNotFoundException">One of the two ONNX files is not there.</exception>
    /// <exception cref="InvalidDataException">The graphs do not have the expected structure.</exception>
    public static ImageNetResNet18Weights Load(string? modelsFolder = null)
    {
        string folder = modelsFolder ?? Path.Combine(AppContext.BaseDirectory, ModelsFolder);
        var network = ReadModel(Path.Combine(folder, "ResNet18Onnx", "ResNet18.onnx"));
        var preprocessing = ReadModel(Path.Combine(folder, "ResNetPrepOnnx", "ResNetPreprocess.onnx"));
        var (order, channelMeans) = ReadPreprocessing(preprocessing);
        var (tensors, stageBlocks) = ReadNetwork(network, order);
        return new ImageNetResNet18Weights(tensors, stageBlocks, channelMeans);
    }

    private static OnnxModelReader ReadModel(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The ImageNet ResNet-18 is not at '{path}'. Add the NuGet package "
                    + $"Microsoft.ML.DnnImageFeaturizer.ResNet18 (0.23.1) to the "
                    + $"app: it copies its '{ModelsFolder}' folder (64 MB) into the app's output folder. "
                    + $"Keypoints.MLNet does not bring it itself.",
                path
            );
        }

        return new OnnxModelReader(File.ReadAllBytes(path));
    }

    /// <summary>The network's channel order (for each of its input channels, the RGB plane it reads) and the RGB means,
    /// from the preprocessing graph's <c>Split</c> of the RGB input, <c>Concat</c> of the planes, and <c>Sub</c> of the
    /// mean image.</summary>
    private static (int[] Order, float[] ChannelMeans) ReadPreprocessing(OnnxModelReader model)
    {
        var split = Single(model, "Split");
        var concat = Single(model, "Concat");
        var sub = Single(model, "Sub");
        int[] order = concat.Inputs.Select(plane => IndexOf(split.Outputs, plane)).ToArray();
        if (
            order.Length != 3
            || order.Distinct().Count() != 3
            || order.Any(o => o < 0)
            || sub.Inputs[0] != concat.Outputs[0]
        )
        {
            throw new InvalidDataException(
                "The ResNet-18 preprocessing graph does not reorder three colour planes and then subtract a mean."
            );
        }

        var (dims, values) = model.ReadFloatConstant(sub.Inputs[1])
            ?? throw new InvalidDataException(
                $"The mean image '{sub.Inputs[1]}' of the ResNet-18 preprocessing graph is not an initializer."
            );
        if (dims is not [1, 3, _, _])
        {
            throw new InvalidDataException(
                $"The mean image of the ResNet-18 preprocessing graph has shape [{string.Join(", ", dims)}]; expected "
                    + $"[1, 3, H, W]."
            );
        }

        int plane = (int)(dims[2] * dims[3]);
        float[] means = new float[3];
        for (int channel = 0; channel < 3; channel++)
            means[order[channel]] = (float)values.AsSpan(channel * plane, plane).ToArray().Average(v => (double)v);
        return (order, means);
    }

    private static (Dictionary<string, (long[] Dims, float[] Values)> Tensors, int[] StageBlocks) ReadNetwork(
        OnnxModelReader model,
        int[] order
    )
    {
        var graph = new ResidualGraph(model);
        var adds = model.Nodes.Where(n => n.OpType == "Add").ToArray();
        var stageBlocks = new List<int>();
        string? previous = null;
        for (int block = 0; block < adds.Length; block++)
        {
            var (input, downsamples) = graph.ReadBlock(adds[block], block);
            if (block == 0 || downsamples)
                stageBlocks.Add(0);
            stageBlocks[^1]++;
            if (previous is null)
            {
                graph.ReadStem(input);
            }
            else if (graph.Producer(input, "Relu")?.Inputs[0] != previous)
            {
                throw new InvalidDataException(
                    $"Residual block {block} of the ResNet-18 graph does not read the rectified output of block "
                        + $"{block - 1}."
                );
            }

            previous = adds[block].Outputs[0];
        }
        if (stageBlocks.Count != 4)
        {
            throw new InvalidDataException(
                $"The ResNet-18 graph has {stageBlocks.Count} stages of residual blocks; expected 4."
            );
        }

        graph.Tensors["stem.weight"] = ToRgb(graph.Tensors["stem.weight"], order);
        return (graph.Tensors, stageBlocks.ToArray());
    }

    /// <summary>The stem's filters with their input channels in RGB order: network channel <c>c</c> reads RGB plane
    /// <c>order[c]</c>.</summary>
    private static (long[] Dims, float[] Values) ToRgb((long[] Dims, float[] Values) weight, int[] order)
    {
        var (dims, values) = weight;
        if (dims is not [_, 3, _, _])
        {
            throw new InvalidDataException(
                $"The ResNet-18 stem has weights of shape [{string.Join(", ", dims)}]; expected 3 input channels."
            );
        }

        int kernel = (int)(dims[2] * dims[3]);
        float[] rgb = new float[values.Length];
        for (int o = 0; o < dims[0]; o++)
        {
            for (int c = 0; c < 3; c++)
                values.AsSpan((o * 3 + c) * kernel, kernel).CopyTo(rgb.AsSpan((o * 3 + order[c]) * kernel, kernel));
        }

        return (dims, rgb);
    }

    private static (long[] Dims, float[] Values) Read(OnnxModelReader model, string name) =>
        model.ReadFloatConstant(name)
        ?? throw new InvalidDataException($"Weight '{name}' of the ResNet-18 graph is not an initializer.");

    private static Node Single(OnnxModelReader model, string opType)
    {
        var nodes = model.Nodes.Where(n => n.OpType == opType).ToArray();
        return nodes.Length == 1
            ? nodes[0]
            : throw new InvalidDataException(
                $"The ResNet-18 preprocessing graph has {nodes.Length} {opType} nodes; expected one."
            );
    }

    /// <summary>Walks the network graph backwards from each residual addition, collecting the weights it finds under
    /// <see cref="ResNet18Pretrained"/>'s names.</summary>
    private sealed class ResidualGraph
    {
        private readonly OnnxModelReader model;
        private readonly Dictionary<string, Node> producers = new(StringComparer.Ordinal);

        public ResidualGraph(OnnxModelReader model)
        {
            this.model = model;
            foreach (var node in model.Nodes)
            {
                foreach (string output in node.Outputs)
                    producers[output] = node;
            }
        }

        public Dictionary<string, (long[] Dims, float[] Values)> Tensors { get; } = new(StringComparer.Ordinal);

        public Node? Producer(string tensor, string opType) =>
            producers.TryGetValue(tensor, out var node) && node.OpType == opType ? node : null;

        /// <summary>Reads residual block <paramref name="block"/> (prefix <c>blocks.{block}.</c>) from its addition;
        /// returns the block's input and whether its shortcut is a 1x1 convolution (a stage's first block).</summary>
        public (string Input, bool Downsamples) ReadBlock(Node add, int block)
        {
            string prefix = $"blocks.{block}.";
            int[] branches = Enumerable
                .Range(0, add.Inputs.Count)
                .Where(i => Branch(add.Inputs[i], prefix, store: false) is not null)
                .ToArray();
            if (add.Inputs.Count != 2 || branches.Length != 1)
            {
                throw new InvalidDataException(
                    $"Residual addition {block} of the ResNet-18 graph does not add one conv-BN-ReLU-conv-BN branch "
                        + $"to a shortcut."
                );
            }

            int main = branches[0];
            string input = Branch(add.Inputs[main], prefix, store: true)!;
            string shortcut = add.Inputs[1 - main];
            bool downsamples = shortcut != input;
            if (downsamples && ConvBn(shortcut, prefix + "downsample", prefix + "downsampleBn", store: true) != input)
            {
                throw new InvalidDataException(
                    $"The shortcut of residual block {block} of the ResNet-18 graph is neither its input nor a "
                        + $"convolution of it."
                );
            }

            return (input, downsamples);
        }

        /// <summary>Reads the stem (conv-BN-ReLU-max pooling of the graph input) that the first block reads as
        /// <paramref name="input"/>.</summary>
        public void ReadStem(string input)
        {
            string? pooled =
                Producer(input, "MaxPool") is { } pool && Producer(pool.Inputs[0], "Relu") is { } relu
                    ? ConvBn(relu.Inputs[0], "stem", "stemBn", store: true)
                    : null;
            if (pooled is null || producers.ContainsKey(pooled))
            {
                throw new InvalidDataException(
                    "The first residual block of the ResNet-18 graph does not read conv-BN-ReLU-max pooling of the "
                        + "graph input."
                );
            }
        }

        /// <summary>A convolution followed by batch norm: the BN node produces <paramref name="output"/>. Returns the
        /// convolution's input, null when the shape differs; stores the weights as <paramref name="conv"/> and
        /// <paramref name="norm"/> when <paramref name="store"/> is set.</summary>
        private string? ConvBn(string output, string conv, string norm, bool store)
        {
            if (
                Producer(output, "BatchNormalization") is not { } bn
                || Producer(bn.Inputs[0], "Conv") is not { } convolution
                || bn.Inputs.Count != 5
                || convolution.Inputs.Count != 2
            )
            {
                return null;
            }

            if (store)
            {
                Tensors[conv + ".weight"] = Read(model, convolution.Inputs[1]);
                string[] parts = ["weight", "bias", "running_mean", "running_var"];
                for (int i = 0; i < parts.Length; i++)
                    Tensors[$"{norm}.{parts[i]}"] = Read(model, bn.Inputs[i + 1]);
            }
            return convolution.Inputs[0];
        }

        /// <summary>The residual branch conv1-bn1-relu-conv2-bn2 ending in <paramref name="output"/>; returns the
        /// block's input.</summary>
        private string? Branch(string output, string prefix, bool store) =>
            ConvBn(output, prefix + "conv2", prefix + "bn2", store) is { } middle
            && Producer(middle, "Relu") is { } relu
                ? ConvBn(relu.Inputs[0], prefix + "conv1", prefix + "bn1", store)
                : null;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
                return i;
        }
        return -1;
    }
}
