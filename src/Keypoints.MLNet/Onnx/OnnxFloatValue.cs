namespace Keypoints.MLNet.Onnx;

/// <summary>A float tensor that a graph takes or gives: its name and its shape (-1 for the batch dimension).</summary>
/// <param name="Name">The tensor's name in the graph.</param>
/// <param name="Dims">Its shape.</param>
internal sealed record OnnxFloatValue(string Name, long[] Dims);
