using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Onnx;
using Microsoft.ML;

namespace Keypoints.MLNet.Scoring;

/// <summary>A fitted or loaded keypoint model: <see cref="KeypointCnnModel"/> (pixel vectors in) or
/// <see cref="KeypointImageModel"/> (image file paths in), as <c>mlContext.Keypoints.LoadModel</c> returns
/// it.</summary>
public interface IKeypointModel : ITransformer, IDisposable
{
    /// <summary>Everything the model records about itself.</summary>
    KeypointModelMetadata Metadata { get; }

    /// <summary>The keypoint set, with the image size its predicted coordinates refer to.</summary>
    KeypointLayout Layout { get; }

    /// <summary>The output column of <c>2K</c> predicted pixel coordinates.</summary>
    string PredictedColumnName { get; }

    /// <summary>The same model with <paramref name="terms"/> as the terms of use its metadata record names (<see
    /// cref="KeypointModelMetadata.Terms"/>); null records none. The returned model is independent of this
    /// one.</summary>
    /// <param name="terms">The terms, one sentence, or null.</param>
    IKeypointModel WithTerms(string? terms);

    /// <summary>The same networks scored with test-time flip averaging on or off (<see
    /// cref="KeypointModelMetadata.TestTimeFlip"/>), for example to measure what the flip gives; the returned model is
    /// independent of this one.</summary>
    /// <param name="enabled">Whether the returned model averages each prediction with the mirrored face's.</param>
    IKeypointModel WithTestTimeFlip(bool enabled);

    /// <summary>Writes the standalone ONNX keypoint graph, with the metadata record inside, to <paramref
    /// name="path"/>.</summary>
    void ExportOnnx(string path);

    /// <summary>Writes the standalone ONNX keypoint graph with its large weights (convolution kernels, fully connected
    /// matrices) stored as <paramref name="weights"/> says, widened back to float32 inside the graph; the metadata
    /// record is kept.</summary>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <param name="weights">How to store the weights.</param>
    void ExportOnnx(string path, OnnxWeightFormat weights);
}
