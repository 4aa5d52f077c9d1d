using Keypoints.MLNet.Layouts;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Finds where the labels' mirror axis lies, from the training batches themselves. Flip augmentation assumes that
/// mirroring the pixels mirrors the labels about the image's center line. If the labels sit <c>d</c> pixels right of
/// the pixel content (1-based coordinates, a pixel-edge convention, or a crop computed in another convention), a face's
/// labels are <c>d</c> right of its features and its mirror image's labels <c>d</c> left of them; a network that cannot
/// tell a face from a mirror image learns neither, and every x it predicts is <c>d</c> left of the labels.
/// On the same batches, the mean x error of the mirrored rows minus that of the direct rows is <c>2 (d - a)</c> for
/// the axis offset <c>a</c> the flips used, whatever the network has learned, so each epoch moves <c>a</c> by half of
/// it.
/// </summary>
internal sealed class FlipAxisCalibration : IDisposable
{
    private readonly Tensor isX;
    private readonly Tensor sums;
    private readonly float pixelsPerUnit;

    /// <summary>Prepares the calibration for <paramref name="scaling"/>'s coordinates on <paramref
    /// name="device"/>.</summary>
    public FlipAxisCalibration(CoordinateScaling scaling, Device device)
    {
        isX = tensor(
            Enumerable.Range(0, scaling.HalfSize.Length).Select(i => i % 2 == 0 ? 1f : 0f).ToArray(),
            device: device
        );
        // Mirrored rows' x error and x count, all rows' x error and x count: kept on the device, read once an epoch.
        sums = zeros(4, device: device);
        pixelsPerUnit = scaling.HalfSize[0];
    }

    /// <summary>Adds one batch: scaled <paramref name="predictions"/> against the (flipped and augmented) scaled
    /// <paramref name="targets"/> where <paramref name="mask"/> is 1, with <paramref name="flippedRows"/> the mirrored
    /// rows.</summary>
    public void Add(Tensor predictions, Tensor targets, Tensor mask, long[] flippedRows)
    {
        if (flippedRows.Length == 0)
            return;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var present = mask * isX;
        var error = (predictions - targets) * present;
        var flipped = zeros(new long[] { predictions.shape[0], 1 }, device: predictions.device)
            .index_fill_(0, tensor(flippedRows, device: predictions.device), 1f);
        sums.add_(stack([(error * flipped).sum(), (present * flipped).sum(), error.sum(), present.sum()]));
    }

    /// <summary>How far, in pixels, the axis offset should move after the batches added since the last call (0 when
    /// either kind of row had no x label), and starts a new count.</summary>
    public double TakeCorrection()
    {
        float[] values = sums.cpu().data<float>().ToArray();
        sums.zero_();
        double flippedCount = values[1],
            directCount = values[3] - values[1];
        return flippedCount > 0 && directCount > 0
            ? (values[0] / flippedCount - (values[2] - values[0]) / directCount) / 2 * pixelsPerUnit
            : 0;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        isX.Dispose();
        sums.Dispose();
    }
}
