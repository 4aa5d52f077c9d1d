using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary>Model files on disk for the tests that read them back: a saved zip, and a graph as older versions wrote
/// it.</summary>
internal static class ModelFiles
{
    /// <summary>Saves <paramref name="fixture"/>'s model with <c>mlContext.Model.Save</c> to <paramref
    /// name="path"/>.</summary>
    public static string SaveZip(TrainedModelFixture fixture, string path)
    {
        fixture.Ml.Model.Save(fixture.Model, fixture.Validation.Schema, path);
        return path;
    }

    /// <summary>Writes a keypoint ONNX graph with the metadata of Keypoints.MLNet 0.1.0 (<c>keypoints.layout</c>, ...,
    /// <c>keypoints.history</c>, no <c>keypoints.model</c> record) to <paramref name="path"/>.</summary>
    public static string WriteVersion010Graph(string path)
    {
        var graph = new OnnxGraphBuilder("keypoints");
        graph.AddInput("Image", -1, 2);
        graph.AddNode("Identity", ["Image"], ["PredictedKeypoints"]);
        graph.AddOutput("PredictedKeypoints", -1, 2);
        graph.AddMetadata("keypoints.layout", "One");
        graph.AddMetadata("keypoints.names", "nose");
        graph.AddMetadata("keypoints.image_size", "96,96");
        graph.AddMetadata("keypoints.channels", "1");
        graph.AddMetadata("keypoints.test_time_flip", "false");
        graph.AddMetadata(
            "keypoints.history",
            "epoch,train_loss,validation_rmse,learning_rate,images_per_second,elapsed_ticks,is_best"
        );
        File.WriteAllBytes(path, graph.ToModelBytes());
        return path;
    }

    /// <summary>The first convolution's weights of the fixture's TorchSharp network, <c>[out, in, kh, kw]</c>
    /// flattened.</summary>
    public static (long[] Shape, float[] Values) FirstConvolutionWeights(TrainedModelFixture fixture)
    {
        var weight = fixture
            .Networks.Ensemble.Members[0]
            .Network.named_parameters()
            .First(p => p.parameter.dim() == 4)
            .parameter;
        return (weight.shape, weight.data<float>().ToArray());
    }
}
