namespace Keypoints.MLNet.Training;

/// <summary>How long and how fast the base network trains: epochs, batches, optimizer and its schedule, early stopping.
/// The defaults are the recipe of <see cref="KeypointTrainingOptions"/>.</summary>
public sealed class ScheduleOptions
{
    /// <summary>Upper limit on training epochs. Default 150.</summary>
    public int MaxEpochs { get; set; } = 150;

    /// <summary>Images per mini-batch. Default 32: on a few thousand faces, more optimizer steps per epoch beat larger
    /// batches at the same wall time (<c>docs/training.md</c>).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>The optimization method. Default <see cref="KeypointOptimizer.Adam"/>.</summary>
    public KeypointOptimizer Optimizer { get; set; } = KeypointOptimizer.Adam;

    /// <summary>Initial learning rate. Default <see langword="null"/>: 0.001 for Adam, 0.03 for Nesterov (a tenth of
    /// that when fine-tuning).</summary>
    public double? LearningRate { get; set; }

    /// <summary>Adam: the learning rate is multiplied by this factor after every epoch. Default 0.98; 1 keeps it
    /// constant.</summary>
    public double LearningRateDecay { get; set; } = 0.98;

    /// <summary>Nesterov: learning rate reached at the last epoch. Default 0.0001.</summary>
    public double FinalLearningRate { get; set; } = 1e-4;

    /// <summary>Nesterov: momentum at the first epoch. Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Nesterov: momentum at the last epoch. Default 0.999.</summary>
    public double FinalMomentum { get; set; } = 0.999;

    /// <summary>L2 weight decay. Default 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>Stop after this many validated epochs without a lower validation RMSE; 0 turns early stopping off.
    /// Default 30 (see <c>docs/decisions.md#early-stopping-patience</c>).</summary>
    public int EarlyStoppingPatience { get; set; } = 30;

    /// <summary>End with the weights of the epoch with the lowest validation RMSE. Default on.</summary>
    public bool RestoreBestWeights { get; set; } = true;

    internal ScheduleOptions Clone() => (ScheduleOptions)MemberwiseClone();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEpochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(EarlyStoppingPatience);
        if (LearningRate is <= 0)
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive.");
    }
}
