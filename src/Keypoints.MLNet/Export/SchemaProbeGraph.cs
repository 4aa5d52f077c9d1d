using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Export;

/// <summary>
/// A tiny graph with the trained model's input and output names and shapes, so an untrained
/// estimator can let ML.NET's ONNX estimator describe the output schema before Fit.
/// </summary>
internal static class SchemaProbeGraph
{
    /// <summary>Input <paramref name="inputName"/> <c>[N, inputSize]</c> to output <paramref name="outputName"/> <c>[N,
    /// outputSize]</c>.</summary>
    public static byte[] Create(string inputName, int inputSize, string outputName, int outputSize)
    {
        var graph = new OnnxGraphBuilder("schema_probe");
        graph.AddInput(inputName, -1, inputSize);
        string mean = graph.AddNode(
            "ReduceMean",
            [inputName],
            [graph.UniqueName("mean")],
            OnnxAttribute.Ints("axes", 1),
            OnnxAttribute.Int("keepdims", 1)
        );
        string repeats = graph.AddInitializer("repeats", new long[] { 1, outputSize }, 2);
        graph.AddNode("Tile", [mean, repeats], [outputName]);
        graph.AddOutput(outputName, -1, outputSize);
        return graph.ToModelBytes();
    }
}
