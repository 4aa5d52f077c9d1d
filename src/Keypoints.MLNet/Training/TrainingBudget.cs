using System.Diagnostics;

namespace Keypoints.MLNet.Training;

/// <summary>
/// The one wall-clock budget of a whole Fit, <see cref="TimeBudgetOptions.MaxTrainingTime"/>, shared out between its
/// stages in order: pre-training may use at most <see cref="TimeBudgetOptions.PretrainingShare"/> of it; the base
/// network gets <see cref="TimeBudgetOptions.BaseNetworkShare"/> of what is left when specialists follow, else all
/// of it; each specialist gets an equal part of what is left when it starts (so time an earlier stage did not use
/// passes on), and at most <see cref="SpecialistOptions.MaxTrainingTime"/>.
/// </summary>
/// <remarks>
/// The Fit's clock starts when Fit does, so reading the data counts too. A stage that resumes from its checkpoint sets
/// the clock to what the checkpoint records (the time the stage started plus its last epoch's elapsed time): a resumed
/// run shares out the budget as the interrupted one did, and a stage's share depends only on recorded times and the
/// options.
/// </remarks>
internal sealed class TrainingBudget
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly KeypointTrainingOptions options;
    private TimeSpan offset;

    /// <summary>Starts the Fit's clock for a run with <paramref name="options"/>.</summary>
    public TrainingBudget(KeypointTrainingOptions options) => this.options = options;

    /// <summary>Time the Fit has used so far, including what a resumed run's checkpoints record of the interrupted
    /// run.</summary>
    public TimeSpan Spent => offset + clock.Elapsed;

    /// <summary>A stage resumed from a checkpoint that records <paramref name="spent"/> of the Fit's time used by its
    /// last epoch.</summary>
    public void ResumedAt(TimeSpan spent) => offset = spent - clock.Elapsed;

    /// <summary>Longest time pre-training may take; null without a budget.</summary>
    public TimeSpan? Pretraining => options.TimeBudget.MaxTrainingTime * options.TimeBudget.PretrainingShare;

    /// <summary>How long the base network may train when it starts at <paramref name="start"/> on the Fit's clock; null
    /// without a budget.</summary>
    public TimeSpan? BaseNetwork(TimeSpan start) =>
        Left(start) * (options.Specialists.Enabled ? options.TimeBudget.BaseNetworkShare : 1);

    /// <summary>How long a specialist may train when it starts at <paramref name="start"/> with <paramref
    /// name="remaining"/> specialists (itself included) still to train; null without any limit.</summary>
    public TimeSpan? Specialist(TimeSpan start, int remaining)
    {
        var share = Left(start) / Math.Max(1, remaining);
        if (options.Specialists.MaxTrainingTime is not { } own)
            return share;
        return share is { } s && s < own ? s : own;
    }

    private TimeSpan? Left(TimeSpan start) =>
        options.TimeBudget.MaxTrainingTime is { } total ? (total > start ? total - start : TimeSpan.Zero) : null;
}
