using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Export;

/// <summary>
/// The ONNX graph that moves keypoint coordinates between an image of any size and a fixed-size frame (the
/// network's input), with pixel centers at integer coordinates: into the frame <c>x' = (x + 0.5) * N / W - 0.5</c>,
/// back out <c>x = (x' + 0.5) * W / N - 0.5</c>, likewise for y with the heights. Inputs: the coordinates
/// <c>[batch, 2K]</c> and the row's image size <c>[batch, 2]</c> (width, height); output <c>[batch, 2K]</c>.
/// NaN coordinates (missing labels) stay NaN.
/// </summary>
internal static class ImageFrameGraph
{
    /// <summary>Returns the model bytes.</summary>
    /// <param name="coordinatesName">Input tensor (column) of <c>2K</c> coordinates.</param>
    /// <param name="sizeName">Input tensor (column) of the original image's width and height in pixels.</param>
    /// <param name="outputName">Output tensor (column).</param>
    /// <param name="frame">The keypoints (K) and the frame's width N and height in pixels (<see
    /// cref="KeypointLayout.ImageWidth"/>,
    /// <see cref="KeypointLayout.ImageHeight"/>).</param>
    /// <param name="toFrame">True to map image coordinates into the frame, false to map frame coordinates back.</param>
    public static byte[] Create(
        string coordinatesName,
        string sizeName,
        string outputName,
        KeypointLayout frame,
        bool toFrame
    )
    {
        int keypoints = frame.KeypointCount;
        var graph = new OnnxGraphBuilder(toFrame ? "keypoints_to_frame" : "keypoints_from_frame");
        graph.AddInput(coordinatesName, -1, 2 * keypoints);
        graph.AddInput(sizeName, -1, 2);
        float[] frameSize = new float[2 * keypoints];
        for (int i = 0; i < frameSize.Length; i += 2)
        {
            frameSize[i] = frame.ImageWidth;
            frameSize[i + 1] = frame.ImageHeight;
        }
        string sizes = graph.AddNode(
            "Tile",
            [sizeName, graph.AddInitializer("repeats", new long[] { 1, keypoints }, 2)],
            [graph.UniqueName("sizes")]
        );
        string frameSizes = graph.AddInitializer("frame_size", frameSize, frameSize.Length);
        string factor = toFrame
            ? graph.AddNode("Div", [frameSizes, sizes], [graph.UniqueName("factor")])
            : graph.AddNode("Div", [sizes, frameSizes], [graph.UniqueName("factor")]);
        string half = graph.AddInitializer("half", [0.5f], 1);
        string shifted = graph.AddNode("Add", [coordinatesName, half], [graph.UniqueName("shifted")]);
        string scaled = graph.AddNode("Mul", [shifted, factor], [graph.UniqueName("scaled")]);
        graph.AddNode("Sub", [scaled, half], [outputName]);
        graph.AddOutput(outputName, -1, 2 * keypoints);
        return graph.ToModelBytes();
    }
}
