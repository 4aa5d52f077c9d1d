using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Export;

/// <summary>
/// Writes trained networks as one self-contained ONNX graph from raw pixels to pixel coordinates:
/// input <c>[N, C*H*W]</c> pixel values → reshape to NCHW → <c>(x - offset) * scale</c> → networks (one, or
/// specialists combined; optionally on the batch and its mirror image, averaged) →
/// <c>y * (size/2) + size/2</c> → output <c>[N, 2K]</c> coordinates in pixels.
/// </summary>
/// <remarks>
/// The graph carries one metadata property, <see cref="KeypointModelMetadata.Key"/>: the model's
/// <see cref="KeypointModelMetadata"/> record as JSON (its format is documented there).
/// </remarks>
internal static class KeypointGraphExporter
{
    /// <summary>Writes the graph of <paramref name="ensemble"/> (whose networks must be in eval mode, on the CPU) as
    /// <paramref name="metadata"/> describes it (columns, pixel scaling, test-time flip, flip axis), with that record
    /// inside.</summary>
    public static byte[] Export(KeypointEnsemble ensemble, KeypointModelMetadata metadata)
    {
        var settings = metadata with
        {
            Networks = ensemble.Members.Select(m => m.Name).ToArray(),
            TestTimeFlip = false,
        };
        var layout = settings.Layout;
        var scaling = new CoordinateScaling(layout);
        var input = ensemble.Input;
        var graph = new OnnxGraphBuilder("keypoints");
        graph.AddInput(settings.InputColumnName, -1, input.Size);
        string shape = graph.AddInitializer(
            "image_shape",
            new long[] { -1, input.Channels, input.Height, input.Width },
            4
        );
        string x = graph.AddNode("Reshape", [settings.InputColumnName, shape], [graph.UniqueName("nchw")]);
        if (settings.PixelOffset != 0)
        {
            x = graph.AddNode(
                "Sub",
                [x, graph.AddInitializer("pixel_offset", [settings.PixelOffset], 1)],
                [graph.UniqueName("centered")]
            );
        }

        if (settings.PixelScale != 1)
        {
            x = graph.AddNode(
                "Mul",
                [x, graph.AddInitializer("pixel_scale", [settings.PixelScale], 1)],
                [graph.UniqueName("normalized")]
            );
        }

        string scaled = ensemble.ExportOnnx(graph, x);
        string pixels = graph.AddNode(
            "Mul",
            [scaled, graph.AddInitializer("half_size", scaling.HalfSize, scaling.HalfSize.Length)],
            [graph.UniqueName("unscaled")]
        );
        graph.AddNode(
            "Add",
            [pixels, graph.AddInitializer("center", scaling.Center, scaling.Center.Length)],
            [settings.OutputColumnName]
        );
        graph.AddOutput(settings.OutputColumnName, -1, layout.CoordinateCount);
        graph.AddMetadata(KeypointModelMetadata.Key, settings.ToJson());
        byte[] plain = graph.ToModelBytes();
        return metadata.TestTimeFlip ? TestTimeFlipGraph.Add(plain, settings with { TestTimeFlip = true }) : plain;
    }
}
