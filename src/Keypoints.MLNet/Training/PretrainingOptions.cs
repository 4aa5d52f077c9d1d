namespace Keypoints.MLNet.Training;

/// <summary>Denoising-autoencoder pre-training of the convolutional trunk before the keypoint training: the trunk
/// learns to reconstruct every training image (rows with missing keypoints too) from a copy with Gaussian noise,
/// through a small decoder that is then thrown away. Not run again when a run resumes from a checkpoint; not available
/// for
/// <see cref="Networks.KeypointArchitecture.Mlp"/>, which has no convolutional trunk.</summary>
public sealed class PretrainingOptions
{
    /// <summary>Epochs of pre-training. Default 0 (off).</summary>
    public int Epochs { get; set; }

    /// <summary>Standard deviation of the Gaussian noise added to the images, in normalized pixel units (after
    /// <see cref="KeypointTrainingOptions.PixelOffset"/> and <see cref="KeypointTrainingOptions.PixelScale"/>; with the
    /// defaults pixels lie in [0, 1]). Default 0.2.</summary>
    public double Noise { get; set; } = 0.2;

    /// <summary>Receives a report after every pre-training epoch (also written to the <c>MLContext</c>'s log). Default
    /// none.</summary>
    public IProgress<PretrainingReport>? Progress { get; set; }

    internal PretrainingOptions Clone() => (PretrainingOptions)MemberwiseClone();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Epochs);
        if (Noise is < 0 || !double.IsFinite(Noise))
        {
            throw new ArgumentOutOfRangeException(
                nameof(Noise),
                Noise,
                "Pretraining.Noise must be finite and not negative."
            );
        }
    }
}
