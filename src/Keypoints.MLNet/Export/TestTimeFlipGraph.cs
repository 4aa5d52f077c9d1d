using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Export;

/// <summary>
/// Test-time flip augmentation as a wrapper around a finished keypoint graph: the batch of N pixel rows is followed by
/// its mirror image (<c>[2N, C*H*W]</c>), the unchanged keypoint graph scores both halves in one pass, and the mirrored
/// half's pixel coordinates are un-mirrored (left and right keypoints swapped back, <c>x' = W - 1 + 2a - x</c> about
/// the labels' mirror axis <c>a</c> pixels right of the center line) and averaged with the direct ones.
/// </summary>
/// <remarks>
/// Because the flip wraps the graph instead of being woven into it, a model can switch it on and off from its graph
/// bytes alone, also after loading from a file: <see cref="Remove"/> takes the inner graph (the nodes under
/// <see cref="Scope"/>) out again, byte for byte the graph the flip was added to.
/// </remarks>
internal static class TestTimeFlipGraph
{
    /// <summary>The prefix of every name of the wrapped graph inside the flip graph.</summary>
    public const string Scope = "tta";

    private const string BatchName = "tta_batch";
    private const string InnerOutputName = "tta_predictions";

    /// <summary>The graph of <paramref name="metadata"/>'s model with the test-time flip switched to <paramref
    /// name="enabled"/>, and the metadata that says so.</summary>
    /// <param name="graph">A keypoint graph written by <see cref="KeypointGraphExporter"/> (with or without the
    /// flip).</param>
    /// <param name="metadata">Its metadata record.</param>
    /// <param name="enabled">Whether the returned graph flips.</param>
    public static (byte[] Graph, KeypointModelMetadata Metadata) Switch(
        byte[] graph,
        KeypointModelMetadata metadata,
        bool enabled
    )
    {
        if (enabled == metadata.TestTimeFlip)
            return (graph, metadata);
        var switched = metadata with { TestTimeFlip = enabled };
        return (enabled ? Add(graph, switched) : Remove(graph, switched), switched);
    }

    /// <summary>Wraps <paramref name="plain"/>, a keypoint graph without the flip, and stores <paramref
    /// name="metadata"/> in the result.</summary>
    public static byte[] Add(byte[] plain, KeypointModelMetadata metadata)
    {
        var graph = new OnnxGraphBuilder("keypoints");
        AddMirroredBatch(graph, metadata);
        graph.AddModel(
            plain,
            Scope,
            new Dictionary<string, string> { [metadata.InputColumnName] = BatchName },
            new Dictionary<string, string> { [metadata.OutputColumnName] = InnerOutputName }
        );
        AddUnmirroredAverage(graph, metadata);
        graph.AddMetadata(KeypointModelMetadata.Key, metadata.ToJson());
        return graph.ToModelBytes();
    }

    private static void AddMirroredBatch(OnnxGraphBuilder graph, KeypointModelMetadata metadata)
    {
        var layout = metadata.Layout;
        int channels = metadata.Channels,
            height = layout.ImageHeight,
            width = layout.ImageWidth;
        long size = (long)channels * height * width;
        string input = metadata.InputColumnName;
        graph.AddInput(input, -1, size);
        string images = graph.AddNode(
            "Reshape",
            [input, graph.AddInitializer("flip_image_shape", new long[] { -1, channels, height, width }, 4)],
            [graph.UniqueName("flip_nchw")]
        );
        // Slice with step -1 from the last column through the first (an end below -W clamps to "before column 0").
        string mirrored = graph.AddNode(
            "Slice",
            [
                images,
                graph.AddInitializer("flip_starts", [-1L], 1),
                graph.AddInitializer("flip_ends", [long.MinValue], 1),
                graph.AddInitializer("flip_axes", [3L], 1),
                graph.AddInitializer("flip_steps", [-1L], 1),
            ],
            [graph.UniqueName("flip_mirrored")]
        );
        string mirroredRows = graph.AddNode(
            "Reshape",
            [mirrored, graph.AddInitializer("flip_row_shape", new long[] { -1, size }, 2)],
            [graph.UniqueName("flip_mirrored_rows")]
        );
        graph.AddNode("Concat", [input, mirroredRows], [BatchName], OnnxAttribute.Int("axis", 0));
    }

    /// <summary>Adds the output: the mean of the direct half of <see cref="InnerOutputName"/> and the un-mirrored other
    /// half.</summary>
    private static void AddUnmirroredAverage(OnnxGraphBuilder graph, KeypointModelMetadata metadata)
    {
        int coordinates = metadata.Layout.CoordinateCount;
        string halves = graph.AddNode(
            "Reshape",
            [InnerOutputName, graph.AddInitializer("flip_halves_shape", [2L, -1L, coordinates], 3)],
            [graph.UniqueName("flip_halves")]
        );
        string direct = graph.AddNode(
            "Gather",
            [halves, graph.AddInitializer("flip_direct_half", [0L])],
            [graph.UniqueName("flip_direct")],
            OnnxAttribute.Int("axis", 0)
        );
        string mirroredPrediction = graph.AddNode(
            "Gather",
            [halves, graph.AddInitializer("flip_mirrored_half", [1L])],
            [graph.UniqueName("flip_mirrored_prediction")],
            OnnxAttribute.Int("axis", 0)
        );
        var (permutation, sign, shift) = UnmirrorCoefficients(metadata);
        string swapped = graph.AddNode(
            "Gather",
            [mirroredPrediction, graph.AddInitializer("flip_permutation", permutation, coordinates)],
            [graph.UniqueName("flip_swapped")],
            OnnxAttribute.Int("axis", 1)
        );
        string reflected = graph.AddNode(
            "Mul",
            [swapped, graph.AddInitializer("flip_sign", sign, coordinates)],
            [graph.UniqueName("flip_reflected")]
        );
        string unmirrored = graph.AddNode(
            "Add",
            [reflected, graph.AddInitializer("flip_shift", shift, coordinates)],
            [graph.UniqueName("flip_unmirrored")]
        );
        string sum = graph.AddNode("Add", [direct, unmirrored], [graph.UniqueName("flip_sum")]);
        graph.AddNode("Mul", [sum, graph.AddInitializer("flip_half", [0.5f])], [metadata.OutputColumnName]);
        graph.AddOutput(metadata.OutputColumnName, -1, coordinates);
    }

    /// <summary>Per coordinate of a mirrored prediction: the coordinate it is read from (left and right swapped), and
    /// the sign and shift that reflect it back (<c>x' = W - 1 + 2a - x</c>, <c>y' = y</c>).</summary>
    private static (long[] Permutation, float[] Sign, float[] Shift) UnmirrorCoefficients(
        KeypointModelMetadata metadata
    )
    {
        var layout = metadata.Layout;
        int coordinates = layout.CoordinateCount;
        long[] permutation = new long[coordinates];
        float[] sign = new float[coordinates];
        float[] shift = new float[coordinates];
        for (int k = 0; k < layout.KeypointCount; k++)
        {
            int source = layout.FlipPermutation[k];
            permutation[2 * k] = 2 * source;
            permutation[2 * k + 1] = 2 * source + 1;
            sign[2 * k] = -1f;
            shift[2 * k] = (float)(layout.ImageWidth - 1 + 2 * metadata.FlipAxisOffset);
            sign[2 * k + 1] = 1f;
        }
        return (permutation, sign, shift);
    }

    /// <summary>The graph that <see cref="Add"/> wrapped, with <paramref name="metadata"/> stored in it.</summary>
    /// <exception cref="InvalidDataException">The graph has no flip wrapper (not written by this version's
    /// exporter).</exception>
    public static byte[] Remove(byte[] flipped, KeypointModelMetadata metadata)
    {
        var layout = metadata.Layout;
        long size = (long)metadata.Channels * layout.ImageHeight * layout.ImageWidth;
        return new OnnxModelReader(flipped).ExtractScope(
            Scope,
            new Dictionary<string, OnnxFloatValue> { [BatchName] = new(metadata.InputColumnName, [-1, size]) },
            new Dictionary<string, OnnxFloatValue>
            {
                [InnerOutputName] = new(metadata.OutputColumnName, [-1, layout.CoordinateCount]),
            },
            new Dictionary<string, string> { [KeypointModelMetadata.Key] = metadata.ToJson() }
        ) ?? throw new InvalidDataException("The graph has no test-time flip wrapper to remove.");
    }
}
