using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;

namespace Keypoints.MLNet.Scoring;

/// <summary>A fitted or loaded keypoint model: <see cref="KeypointCnnModel"/> (pixel vectors in) or
/// <see cref="KeypointImageModel"/> (image file paths in), as <c>mlContext.Keypoints.LoadModel</c> returns it.</summary>
public interface IKeypointModel : ITransformer, IDisposable
{
    /// <summary>Everything the model records about itself.</summary>
    KeypointModelMetadata Metadata { get; }

    /// <summary>The keypoint set, with the image size its predicted coordinates refer to.</summary>
    KeypointLayout Layout { get; }

    /// <summary>The output column of <c>2K</c> predicted pixel coordinates.</summary>
    string PredictedColumnName { get; }

    /// <summary>Writes the standalone ONNX keypoint graph, with the metadata record inside, to <paramref name="path"/>.</summary>
    void ExportOnnx(string path);
}
