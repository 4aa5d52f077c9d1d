using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Training;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Writes a trained network as one self-contained ONNX graph from raw pixels to pixel coordinates:
/// input <c>[N, C*H*W]</c> pixel values → reshape to NCHW → <c>(x - offset) * scale</c> → network →
/// <c>y * (size/2) + size/2</c> → output <c>[N, 2K]</c> coordinates in pixels.
/// </summary>
/// <remarks>
/// Metadata properties: <c>keypoints.layout</c> (layout name), <c>keypoints.names</c> (comma-separated
/// keypoint names), <c>keypoints.image_size</c> (<c>W,H</c>), <c>keypoints.channels</c>, and
/// <c>keypoints.history</c> (the training history, in the format of <see cref="HistoryMetadata"/>).
/// </remarks>
internal static class KeypointGraphExporter
{
    /// <summary>Returns the ONNX model bytes for <paramref name="network"/> (which must be in eval mode, on the CPU).</summary>
    public static byte[] Export(KeypointNetwork network, KeypointLayout layout, CoordinateScaling scaling,
        string inputName, string outputName, float pixelOffset, float pixelScale, IReadOnlyList<EpochReport> history)
    {
        var input = network.Input;
        var graph = new OnnxGraphBuilder("keypoints");
        graph.AddInput(inputName, -1, input.Size);
        var shape = graph.AddInitializer("image_shape", new long[] { -1, input.Channels, input.Height, input.Width }, 4);
        var x = graph.AddNode("Reshape", [inputName, shape], [graph.UniqueName("nchw")]);
        if (pixelOffset != 0)
            x = graph.AddNode("Sub", [x, graph.AddInitializer("pixel_offset", [pixelOffset], 1)], [graph.UniqueName("centered")]);
        if (pixelScale != 1)
            x = graph.AddNode("Mul", [x, graph.AddInitializer("pixel_scale", [pixelScale], 1)], [graph.UniqueName("normalized")]);
        var scaled = network.ExportOnnx(graph, x);
        var pixels = graph.AddNode("Mul", [scaled, graph.AddInitializer("half_size", scaling.HalfSize, scaling.HalfSize.Length)],
            [graph.UniqueName("unscaled")]);
        graph.AddNode("Add", [pixels, graph.AddInitializer("center", scaling.Center, scaling.Center.Length)], [outputName]);
        graph.AddOutput(outputName, -1, layout.CoordinateCount);
        graph.AddMetadata("keypoints.layout", layout.Name);
        graph.AddMetadata("keypoints.names", string.Join(",", layout.KeypointNames));
        graph.AddMetadata("keypoints.image_size", FormattableString.Invariant($"{layout.ImageWidth},{layout.ImageHeight}"));
        graph.AddMetadata("keypoints.channels", input.Channels.ToString(System.Globalization.CultureInfo.InvariantCulture));
        graph.AddMetadata(HistoryMetadata.Key, HistoryMetadata.Format(history));
        return graph.ToModelBytes();
    }
}
