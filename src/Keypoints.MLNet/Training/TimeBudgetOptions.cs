namespace Keypoints.MLNet.Training;

/// <summary>The wall-clock budget of a whole Fit, from reading the data to the last specialist, and how its stages
/// share it: no stage starts an epoch that, as long as its last one, would overrun the stage's share. Pre-training may
/// use at most
/// <see cref="PretrainingShare"/>; the base network gets <see cref="BaseNetworkShare"/> of what is left when
/// specialists follow, else all of it; the specialists share what is left equally (a specialist that ends early leaves
/// its time to the next ones; one whose share would not hold an epoch keeps the base network's weights). A resumed run
/// counts the time the interrupted run recorded. The base network always trains at least one epoch; exporting to ONNX
/// at the end (seconds) comes on top.</summary>
public sealed class TimeBudgetOptions
{
    /// <summary>Upper limit on the Fit's wall-clock time; null for none, so only the epoch limits end training. Default
    /// 30 minutes (see <c>docs/decisions.md#training-recipe</c>).</summary>
    public TimeSpan? MaxTrainingTime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>With pre-training, the largest fraction of the budget it may use; it stops after the last epoch that
    /// fits. In (0, 1]. Default 0.2.</summary>
    public double PretrainingShare { get; set; } = 0.2;

    /// <summary>With specialists, the fraction of the budget left after pre-training that the base network may use; the
    /// specialists share the rest. In (0, 1]. Default 0.5.</summary>
    public double BaseNetworkShare { get; set; } = 0.5;

    internal TimeBudgetOptions Clone() => (TimeBudgetOptions)MemberwiseClone();

    internal void Validate()
    {
        if (MaxTrainingTime is { } budget && budget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxTrainingTime),
                budget,
                "TimeBudget.MaxTrainingTime must be positive."
            );
        }

        if (PretrainingShare is not (> 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(PretrainingShare),
                PretrainingShare,
                "TimeBudget.PretrainingShare must be in (0, 1]."
            );
        }

        if (BaseNetworkShare is not (> 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(BaseNetworkShare),
                BaseNetworkShare,
                "TimeBudget.BaseNetworkShare must be in (0, 1]."
            );
        }
    }
}
