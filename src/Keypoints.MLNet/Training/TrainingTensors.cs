using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>The rows of a <see cref="TrainingData"/> on the training device: <c>[N, C, H, W]</c> images and <c>[N,
/// 2K]</c> targets and presence mask. Disposing it frees the three tensors.</summary>
internal sealed class TrainingTensors(Tensor images, Tensor targets, Tensor mask) : IDisposable
{
    /// <summary>Normalized pixels, <c>[N, C, H, W]</c>.</summary>
    public Tensor Images { get; } = images;

    /// <summary>Scaled targets, <c>[N, 2K]</c>; 0 where the label is missing.</summary>
    public Tensor Targets { get; } = targets;

    /// <summary>1 where a coordinate is present, 0 where it is missing, <c>[N, 2K]</c>.</summary>
    public Tensor Mask { get; } = mask;

    /// <summary>Number of rows, <c>N</c>.</summary>
    public long Rows => Images.shape[0];

    /// <inheritdoc/>
    public void Dispose()
    {
        Images.Dispose();
        Targets.Dispose();
        Mask.Dispose();
    }
}
