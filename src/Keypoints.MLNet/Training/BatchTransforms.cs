using Keypoints.MLNet.Layouts;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>What happens to every training batch before the network sees it: the flip of a random half (about the
/// labels' mirror axis, which <see cref="FlipAxisCalibration"/> moves after each epoch when asked), then the
/// augmentation.</summary>
internal sealed class BatchTransforms : IDisposable
{
    private readonly bool flip;
    private readonly BatchAugmenter? augmenter;

    /// <summary>Prepares the transforms that <paramref name="options"/> asks for, on <paramref name="device"/>, with
    /// flips about an axis <paramref name="flipAxisOffset"/> pixels right of the image's center line.</summary>
    public BatchTransforms(
        KeypointLayout layout,
        CoordinateScaling scaling,
        KeypointTrainingOptions options,
        Device device,
        double flipAxisOffset
    )
    {
        flip = options.FlipAugmentation;
        Calibration =
            options.FlipAugmentation && options.CalibrateFlipAxis ? new FlipAxisCalibration(scaling, device) : null;
        augmenter = options.Augmentation.IsEnabled
            ? new BatchAugmenter(options.Augmentation, layout.ImageWidth, layout.ImageHeight, device)
            : null;
        Flipper = new BatchFlipper(layout, scaling, device, flipAxisOffset);
    }

    /// <summary>The flips; also the test-time flip of validation.</summary>
    public BatchFlipper Flipper { get; }

    /// <summary>The mirror axis calibration; null when flips are off or not calibrated.</summary>
    public FlipAxisCalibration? Calibration { get; }

    /// <summary>Flips and augments one batch in place and returns the rows that were flipped.</summary>
    public long[] Apply(Tensor images, Tensor targets, Tensor mask, Random random)
    {
        long[] flipped = flip ? Flipper.FlipHalf(images, targets, mask, random) : [];
        augmenter?.Apply(images, targets, mask, random);
        return flipped;
    }

    /// <summary>After an epoch: moves the flips' mirror axis by the calibration's correction, when it
    /// calibrates.</summary>
    public void EndEpoch()
    {
        if (Calibration is not null)
            Flipper.SetAxisOffset(Flipper.AxisOffset + Calibration.TakeCorrection());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Flipper.Dispose();
        augmenter?.Dispose();
        Calibration?.Dispose();
    }
}
