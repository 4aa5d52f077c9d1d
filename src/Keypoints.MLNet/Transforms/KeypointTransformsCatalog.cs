using Microsoft.ML;

namespace Keypoints.MLNet.Transforms;

/// <summary>Keypoint transforms, reached as <c>mlContext.Transforms.Keypoints</c>.</summary>
public sealed class KeypointTransformsCatalog
{
    private readonly TransformsCatalog transforms;

    internal KeypointTransformsCatalog(TransformsCatalog transforms) => this.transforms = transforms;

    /// <summary>Maps pixel values to <c>(value - offset) * scale</c>; by default grey levels 0-255 to [0, 1].
    /// Applies at training and prediction time and survives <c>Model.Save</c>/<c>Load</c>. A trainer after it
    /// needs <c>PixelScale = 1</c>.</summary>
    /// <param name="outputColumnName">Column that receives the normalized vector.</param>
    /// <param name="inputColumnName">Column of pixel values; the output column when null (normalized in place).</param>
    /// <param name="offset">Subtracted from each value first.</param>
    /// <param name="scale">Multiplies each value after the offset.</param>
    public PixelNormalizingEstimator NormalizePixels(
        string outputColumnName = "Image",
        string? inputColumnName = null,
        float offset = 0f,
        float scale = 1f / 255f
    ) => new(transforms, outputColumnName, inputColumnName, offset, scale);
}
