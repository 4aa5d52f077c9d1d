using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Scoring;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Photos;

/// <summary>Synthetic keypoint models for photo tests: whatever the face, every keypoint lands on one fixed point of
/// the network's frame, so where the points land in a photo tests the framing and the map back, not a network's
/// skill.</summary>
internal static class FixedPointModels
{
    /// <summary>The models' input side in pixels.</summary>
    public const int Side = 48;

    /// <summary>The framing the models record unless told otherwise.</summary>
    public static readonly FaceFraming Framing = new(0.5, 0, 0.394, 0, 1 / 3.2, 0, 100);

    /// <summary>A 68-point grey model on 48 x 48 pixels whose every keypoint is (<paramref name="x"/>, <paramref
    /// name="y"/>) in network pixels, whatever the input: input times a zero matrix plus the point.</summary>
    public static KeypointCnnModel Create(
        MLContext ml,
        float x,
        float y,
        FaceFraming? framing = null,
        bool withFraming = true
    )
    {
        var layout = KeypointLayout.Ibug68.WithImageSize(Side, Side);
        int inputs = Side * Side,
            outputs = layout.CoordinateCount;
        var graph = new OnnxGraphBuilder("fixed");
        graph.AddInput("Image", -1, inputs);
        string weights = graph.AddInitializer("weights", new float[inputs * outputs], inputs, outputs);
        string point = graph.AddInitializer(
            "point",
            [.. Enumerable.Range(0, outputs).Select(i => i % 2 == 0 ? x : y)],
            outputs
        );
        graph.AddNode("MatMul", ["Image", weights], ["zero"]);
        graph.AddNode("Add", ["zero", point], ["PredictedKeypoints"]);
        graph.AddOutput("PredictedKeypoints", -1, outputs);
        var metadata = new KeypointModelMetadata
        {
            Layout = layout,
            InputColumnName = "Image",
            OutputColumnName = "PredictedKeypoints",
            Channels = 1,
            PixelOffset = 0,
            PixelScale = 1,
            Framing = withFraming ? framing ?? Framing : null,
        };
        return new KeypointCnnModel(ml, graph.ToModelBytes(), metadata);
    }
}
