using System.Globalization;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Training;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Writes trained networks as one self-contained ONNX graph from raw pixels to pixel coordinates:
/// input <c>[N, C*H*W]</c> pixel values → reshape to NCHW → <c>(x - offset) * scale</c> → networks (one, or
/// specialists combined; optionally on the batch and its mirror image, averaged) →
/// <c>y * (size/2) + size/2</c> → output <c>[N, 2K]</c> coordinates in pixels.
/// </summary>
/// <remarks>
/// Metadata properties: <c>keypoints.layout</c> (layout name), <c>keypoints.names</c> (comma-separated
/// keypoint names), <c>keypoints.image_size</c> (<c>W,H</c>), <c>keypoints.channels</c>,
/// <c>keypoints.networks</c> (comma-separated ensemble member names), <c>keypoints.test_time_flip</c>
/// (<c>true</c> or <c>false</c>) and <c>keypoints.history</c> (the base network's training history, in the format of
/// <see cref="HistoryMetadata"/>).
/// </remarks>
internal static class KeypointGraphExporter
{
    /// <summary>Returns the ONNX model bytes for <paramref name="ensemble"/> (whose networks must be in eval mode, on the CPU).</summary>
    public static byte[] Export(KeypointEnsemble ensemble, GraphExportSettings settings)
    {
        var layout = settings.Layout;
        var scaling = new CoordinateScaling(layout);
        var input = ensemble.Input;
        var graph = new OnnxGraphBuilder("keypoints");
        graph.AddInput(settings.InputName, -1, input.Size);
        var shape = graph.AddInitializer("image_shape", new long[] { -1, input.Channels, input.Height, input.Width }, 4);
        var x = graph.AddNode("Reshape", [settings.InputName, shape], [graph.UniqueName("nchw")]);
        if (settings.PixelOffset != 0)
            x = graph.AddNode("Sub", [x, graph.AddInitializer("pixel_offset", [settings.PixelOffset], 1)], [graph.UniqueName("centered")]);
        if (settings.PixelScale != 1)
            x = graph.AddNode("Mul", [x, graph.AddInitializer("pixel_scale", [settings.PixelScale], 1)], [graph.UniqueName("normalized")]);
        if (settings.TestTimeFlip)
            x = TestTimeFlipWriter.AppendMirrored(graph, x);
        var scaled = ensemble.ExportOnnx(graph, x);
        if (settings.TestTimeFlip)
            scaled = TestTimeFlipWriter.AverageWithUnmirrored(graph, scaled, layout, scaling, settings.FlipAxisOffset);
        var pixels = graph.AddNode("Mul", [scaled, graph.AddInitializer("half_size", scaling.HalfSize, scaling.HalfSize.Length)],
            [graph.UniqueName("unscaled")]);
        graph.AddNode("Add", [pixels, graph.AddInitializer("center", scaling.Center, scaling.Center.Length)], [settings.OutputName]);
        graph.AddOutput(settings.OutputName, -1, layout.CoordinateCount);
        graph.AddMetadata("keypoints.layout", layout.Name);
        graph.AddMetadata("keypoints.names", string.Join(",", layout.KeypointNames));
        graph.AddMetadata("keypoints.image_size", FormattableString.Invariant($"{layout.ImageWidth},{layout.ImageHeight}"));
        graph.AddMetadata("keypoints.channels", input.Channels.ToString(CultureInfo.InvariantCulture));
        graph.AddMetadata("keypoints.networks", string.Join(",", ensemble.Members.Select(m => m.Name)));
        graph.AddMetadata("keypoints.test_time_flip", settings.TestTimeFlip ? "true" : "false");
        graph.AddMetadata("keypoints.flip_axis_offset", settings.FlipAxisOffset.ToString("R", CultureInfo.InvariantCulture));
        graph.AddMetadata(HistoryMetadata.Key, HistoryMetadata.Format(settings.History));
        return graph.ToModelBytes();
    }
}
