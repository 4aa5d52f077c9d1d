using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Export;

/// <summary>
/// Writes test-time flip augmentation as ONNX nodes: the batch of N images is followed by its mirror image
/// (<c>[2N, C, H, W]</c>), the networks score both halves in one pass, and the mirrored half's predictions are
/// un-mirrored (left and right keypoints swapped back, x reflected) and averaged with the direct ones.
/// </summary>
internal static class TestTimeFlipWriter
{
    /// <summary>Returns <c>Concat(images, images mirrored along the width)</c> on the batch axis.</summary>
    public static string AppendMirrored(OnnxGraphBuilder graph, string images)
    {
        // Slice with step -1 from the last column through the first (an end below -W clamps to "before column 0").
        var mirrored = graph.AddNode("Slice",
            [
                images,
                graph.AddInitializer("flip_starts", [-1L], 1),
                graph.AddInitializer("flip_ends", [long.MinValue], 1),
                graph.AddInitializer("flip_axes", [3L], 1),
                graph.AddInitializer("flip_steps", [-1L], 1),
            ],
            [graph.UniqueName("mirrored")]);
        return graph.AddNode("Concat", [images, mirrored], [graph.UniqueName("with_mirrored")], OnnxAttribute.Int("axis", 0));
    }

    /// <summary>Splits the <c>[2N, 2K]</c> scaled predictions of <see cref="AppendMirrored"/>'s batch into its halves and
    /// returns <c>(direct + unmirror(mirrored)) / 2</c>, <c>[N, 2K]</c>, un-mirroring about the labels' mirror axis
    /// <paramref name="axisOffset"/> pixels right of the image's center line.</summary>
    public static string AverageWithUnmirrored(OnnxGraphBuilder graph, string predictions, KeypointLayout layout, CoordinateScaling scaling,
        double axisOffset)
    {
        int coordinates = layout.CoordinateCount;
        var halves = graph.AddNode("Reshape",
            [predictions, graph.AddInitializer("flip_halves_shape", [2L, -1L, coordinates], 3)], [graph.UniqueName("halves")]);
        var direct = graph.AddNode("Gather", [halves, graph.AddInitializer("flip_direct_half", [0L])],
            [graph.UniqueName("direct")], OnnxAttribute.Int("axis", 0));
        var mirrored = graph.AddNode("Gather", [halves, graph.AddInitializer("flip_mirrored_half", [1L])],
            [graph.UniqueName("mirrored_prediction")], OnnxAttribute.Int("axis", 0));
        var map = new CoordinateFlipMap(layout, scaling, axisOffset);
        var swapped = graph.AddNode("Gather", [mirrored, graph.AddInitializer("flip_permutation", map.Permutation, coordinates)],
            [graph.UniqueName("swapped")], OnnxAttribute.Int("axis", 1));
        var reflected = graph.AddNode("Mul", [swapped, graph.AddInitializer("flip_sign", map.Sign, coordinates)], [graph.UniqueName("reflected")]);
        var unmirrored = graph.AddNode("Add", [reflected, graph.AddInitializer("flip_shift", map.Shift, coordinates)], [graph.UniqueName("unmirrored")]);
        var sum = graph.AddNode("Add", [direct, unmirrored], [graph.UniqueName("flip_sum")]);
        return graph.AddNode("Mul", [sum, graph.AddInitializer("flip_half", [0.5f])], [graph.UniqueName("flip_average")]);
    }
}
