namespace Keypoints.MLNet.Training;

/// <summary>What happened in one epoch of denoising-autoencoder pre-training (see <see
/// cref="PretrainingOptions.Epochs"/>).</summary>
/// <param name="Epoch">1-based pre-training epoch number.</param>
/// <param name="ReconstructionMse">Mean squared error between the reconstructions of the corrupted training images and
/// the clean images, in normalized pixel units squared (the units after <see
/// cref="KeypointTrainingOptions.PixelOffset"/> and
/// <see cref="KeypointTrainingOptions.PixelScale"/>; with the defaults pixels lie in [0, 1]).</param>
/// <param name="Elapsed">Wall-clock time since pre-training started.</param>
public sealed record PretrainingReport(int Epoch, double ReconstructionMse, TimeSpan Elapsed);
