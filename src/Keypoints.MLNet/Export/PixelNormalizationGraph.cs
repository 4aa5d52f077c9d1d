using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Export;

/// <summary>The ONNX graph of <c>NormalizePixels</c>: <c>output = (input - offset) * scale</c> over a <c>[N, size]</c>
/// vector.</summary>
internal static class PixelNormalizationGraph
{
    /// <summary>Returns the model bytes.</summary>
    public static byte[] Create(string inputName, string outputName, int size, float offset, float scale)
    {
        var graph = new OnnxGraphBuilder("normalize_pixels");
        graph.AddInput(inputName, -1, size);
        string centered = graph.AddNode(
            "Sub",
            [inputName, graph.AddInitializer("offset", [offset], 1)],
            [graph.UniqueName("centered")]
        );
        graph.AddNode("Mul", [centered, graph.AddInitializer("scale", [scale], 1)], [outputName]);
        graph.AddOutput(outputName, -1, size);
        return graph.ToModelBytes();
    }
}
