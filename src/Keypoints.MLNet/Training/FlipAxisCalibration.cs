using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Finds where the labels' mirror axis lies, from the training batches themselves. Flip augmentation assumes that
/// mirroring the pixels mirrors the labels about the image's center line. If the labels sit <c>d</c> pixels right of
/// the pixel content (1-based coordinates, a pixel-edge convention, or a crop computed in another convention), a face's
/// labels are <c>d</c> right of its features and its mirror image's labels <c>d</c> left of them; a network that cannot
/// tell a face from a mirror image learns neither, and every x it predicts is <c>d</c> left of the labels.
/// On the same batches, the mean x error of the mirrored rows minus that of the direct rows is <c>2 (d - a)</c> for
/// the axis offset <c>a</c> the flips used, whatever the network has learned, so each epoch moves <c>a</c> by half of it.
/// </summary>
internal sealed class FlipAxisCalibration : IDisposable
{
    private readonly Tensor isX;
    private readonly float pixelsPerUnit;
    private double flippedError, flippedCount, directError, directCount;

    /// <summary>Prepares the calibration for <paramref name="scaling"/>'s coordinates on <paramref name="device"/>.</summary>
    public FlipAxisCalibration(CoordinateScaling scaling, Device device)
    {
        isX = tensor(Enumerable.Range(0, scaling.HalfSize.Length).Select(i => i % 2 == 0 ? 1f : 0f).ToArray(), device: device);
        pixelsPerUnit = scaling.HalfSize[0];
    }

    /// <summary>Adds one batch: scaled <paramref name="predictions"/> against the (flipped and augmented) scaled
    /// <paramref name="targets"/> where <paramref name="mask"/> is 1, with <paramref name="flippedRows"/> the mirrored rows.</summary>
    public void Add(Tensor predictions, Tensor targets, Tensor mask, long[] flippedRows)
    {
        if (flippedRows.Length == 0)
            return;
        using var scope = NewDisposeScope();
        var present = mask * isX;
        var error = (predictions.detach() - targets) * present;
        var flipped = zeros(new long[] { predictions.shape[0], 1 }, device: predictions.device)
            .index_fill_(0, tensor(flippedRows, device: predictions.device), 1f);
        flippedError += (error * flipped).sum().item<float>();
        flippedCount += (present * flipped).sum().item<float>();
        directError += (error * (1 - flipped)).sum().item<float>();
        directCount += (present * (1 - flipped)).sum().item<float>();
    }

    /// <summary>How far, in pixels, the axis offset should move after the batches added since the last call (0 when
    /// either kind of row had no x label), and starts a new count.</summary>
    public double TakeCorrection()
    {
        double correction = flippedCount > 0 && directCount > 0
            ? (flippedError / flippedCount - directError / directCount) / 2 * pixelsPerUnit
            : 0;
        flippedError = flippedCount = directError = directCount = 0;
        return correction;
    }

    /// <inheritdoc/>
    public void Dispose() => isX.Dispose();
}
