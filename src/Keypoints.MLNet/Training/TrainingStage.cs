using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Training;

/// <summary>One stage of a Fit that <see cref="TrainingLoop"/> trains: the base network, or one specialist.</summary>
/// <param name="Layout">The keypoints the stage's network predicts and its image size.</param>
/// <param name="Options">The stage's settings (a specialist's come from <see
/// cref="KeypointTrainingOptions.ForSpecialist"/>).</param>
/// <param name="Seed">The stage's seed: every epoch draws from generators seeded by (seed, epoch).</param>
/// <param name="Allowance">How long the stage may train, given the time on the Fit's clock when it starts; null for no
/// limit.</param>
internal sealed record TrainingStage(
    KeypointLayout Layout,
    KeypointTrainingOptions Options,
    int Seed,
    Func<TimeSpan, TimeSpan?> Allowance
)
{
    /// <summary>Where flips mirror the labels at the start, in pixels right of the image's center line. Default
    /// 0.</summary>
    public double FlipAxisOffset { get; init; }

    /// <summary>An estimate of the first epoch's duration, for a stage that may end with the weights it starts from: it
    /// trains no epoch when the estimate would already overrun <see cref="Allowance"/>. Default null: at least one
    /// epoch.</summary>
    public TimeSpan? ExpectedEpoch { get; init; }

    /// <summary>The content hash of the model a fine-tuning run starts from, so that its checkpoints resume only such a
    /// run; null from scratch.</summary>
    public string? StartedFrom { get; init; }
}
