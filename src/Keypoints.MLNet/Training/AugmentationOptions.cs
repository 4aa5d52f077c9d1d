namespace Keypoints.MLNet.Training;

/// <summary>
/// Random augmentation of every training batch, on tensors, after the flip: rotation, scale and shift move the
/// pixels and the keypoints together (one affine map per image, bilinear resampling, borders repeated outward);
/// blur, contrast and brightness then change pixel values only. Each transform is applied to each image with its
/// own probability (0 turns it off) and a value drawn uniformly from its range. A keypoint that a geometric
/// transform moves outside the image counts as missing for that batch. Training only: a saved model never augments.
/// </summary>
/// <remarks>
/// A new instance has every transform off and the ranges of <see cref="Default"/>, so setting a probability alone
/// turns a transform on with a sensible range. Coordinates follow the project's pixel convention (pixel centers
/// at integer coordinates); rotation and scale are about the image center, <c>((W - 1) / 2, (H - 1) / 2)</c>.
/// </remarks>
public sealed class AugmentationOptions
{
    /// <summary>Every transform off (a new instance on each call); the trainer's default.</summary>
    public static AugmentationOptions None => new();

    /// <summary>A starting recipe for 96 x 96 faces (a new instance on each call): rotation up to ±15° with
    /// probability 0.5, scale 0.9 to 1.1 with 0.5, shift up to ±5 % with 0.5, contrast 0.8 to 1.2 with 0.5,
    /// brightness ±0.1 with 0.5 and blur sigma 0.5 to 1.5 pixels with 0.2.</summary>
    public static AugmentationOptions Default =>
        new()
        {
            RotationProbability = 0.5,
            ScaleProbability = 0.5,
            ShiftProbability = 0.5,
            BrightnessProbability = 0.5,
            ContrastProbability = 0.5,
            BlurProbability = 0.2,
        };

    /// <summary>Probability that an image is rotated, in [0, 1]. Default 0.</summary>
    public double RotationProbability { get; set; }

    /// <summary>Largest rotation in degrees, in [0, 180]; the angle is uniform in ±this, positive turning the face
    /// counterclockwise on screen. Default 15.</summary>
    public double MaxRotationDegrees { get; set; } = 15;

    /// <summary>Probability that an image is zoomed about its center, in [0, 1]. Default 0.</summary>
    public double ScaleProbability { get; set; }

    /// <summary>Smallest zoom factor (below 1 shrinks the face), above 0. Default 0.9.</summary>
    public double MinScale { get; set; } = 0.9;

    /// <summary>Largest zoom factor, at least <see cref="MinScale"/>; the factor is uniform between the two. Default
    /// 1.1.</summary>
    public double MaxScale { get; set; } = 1.1;

    /// <summary>Probability that an image is shifted, in [0, 1]. Default 0.</summary>
    public double ShiftProbability { get; set; }

    /// <summary>Largest shift as a fraction of the image size, in [0, 1): x moves uniformly in ±this times the width
    /// and, drawn separately, y in ±this times the height. Default 0.05 (4.8 pixels on a 96-pixel face).</summary>
    public double MaxShift { get; set; } = 0.05;

    /// <summary>Probability that an image gets a brightness offset, in [0, 1]. Default 0.</summary>
    public double BrightnessProbability { get; set; }

    /// <summary>Largest offset added to every pixel, in normalized pixel units (after <c>PixelOffset</c> and
    /// <c>PixelScale</c>), at least 0; the offset is uniform in ±this. Default 0.1, about 25 grey levels with the
    /// trainer's default scaling. Values are not clipped, since the normalized range depends on the scaling.</summary>
    public double MaxBrightnessDelta { get; set; } = 0.1;

    /// <summary>Probability that an image's contrast changes, in [0, 1]. Default 0.</summary>
    public double ContrastProbability { get; set; }

    /// <summary>Smallest contrast factor, at least 0: each pixel becomes <c>mean + factor * (pixel - mean)</c> with the
    /// image's mean over all its channels. Default 0.8.</summary>
    public double MinContrast { get; set; } = 0.8;

    /// <summary>Largest contrast factor, at least <see cref="MinContrast"/>; the factor is uniform between the two.
    /// Default 1.2.</summary>
    public double MaxContrast { get; set; } = 1.2;

    /// <summary>Probability that an image is blurred, in [0, 1]. Default 0.</summary>
    public double BlurProbability { get; set; }

    /// <summary>Smallest Gaussian blur sigma in pixels, above 0. Default 0.5.</summary>
    public double MinBlurSigma { get; set; } = 0.5;

    /// <summary>Largest Gaussian blur sigma in pixels, at least <see cref="MinBlurSigma"/>; sigma is uniform between
    /// the two and the kernel spans ±ceil(3 * this) pixels. Default 1.5.</summary>
    public double MaxBlurSigma { get; set; } = 1.5;

    /// <summary>Whether any transform has a probability above 0.</summary>
    public bool IsEnabled =>
        RotationProbability > 0
        || ScaleProbability > 0
        || ShiftProbability > 0
        || BrightnessProbability > 0
        || ContrastProbability > 0
        || BlurProbability > 0;

    internal void Validate()
    {
        RequireProbability(RotationProbability, nameof(RotationProbability));
        RequireProbability(ScaleProbability, nameof(ScaleProbability));
        RequireProbability(ShiftProbability, nameof(ShiftProbability));
        RequireProbability(BrightnessProbability, nameof(BrightnessProbability));
        RequireProbability(ContrastProbability, nameof(ContrastProbability));
        RequireProbability(BlurProbability, nameof(BlurProbability));
        if (MaxRotationDegrees is not (>= 0 and <= 180))
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxRotationDegrees),
                MaxRotationDegrees,
                "MaxRotationDegrees must be in [0, 180]."
            );
        }

        RequireRange(MinScale, MaxScale, nameof(MinScale), nameof(MaxScale), allowZero: false);
        if (MaxShift is not (>= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(MaxShift), MaxShift, "MaxShift must be in [0, 1).");
        if (!(MaxBrightnessDelta >= 0) || !double.IsFinite(MaxBrightnessDelta))
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxBrightnessDelta),
                MaxBrightnessDelta,
                "MaxBrightnessDelta must be finite and at least 0."
            );
        }

        RequireRange(MinContrast, MaxContrast, nameof(MinContrast), nameof(MaxContrast), allowZero: true);
        RequireRange(MinBlurSigma, MaxBlurSigma, nameof(MinBlurSigma), nameof(MaxBlurSigma), allowZero: false);
    }

    private static void RequireProbability(double value, string name)
    {
        if (value is not (>= 0 and <= 1))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1].");
    }

    private static void RequireRange(double min, double max, string minName, string maxName, bool allowZero)
    {
        if (!double.IsFinite(min) || min < 0 || (min == 0 && !allowZero))
        {
            throw new ArgumentOutOfRangeException(
                minName,
                min,
                $"{minName} must be finite and {(allowZero ? "at least 0" : "above 0")}."
            );
        }

        if (!double.IsFinite(max) || max < min)
        {
            throw new ArgumentOutOfRangeException(
                maxName,
                max,
                $"{maxName} must be finite and at least {minName} ({min})."
            );
        }
    }
}
