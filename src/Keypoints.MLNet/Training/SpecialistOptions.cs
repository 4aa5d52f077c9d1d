namespace Keypoints.MLNet.Training;

/// <summary>Nouri's specialists: after the base network, for every keypoint group of the layout (the six Kaggle
/// groups), a copy of the base network, initialised from its weights, fine-tuned on the rows where the whole group is
/// present with its own early stopping; the model then predicts each group with its specialist.</summary>
public sealed class SpecialistOptions
{
    /// <summary>Train the specialists. Needs a layout with keypoint groups. Default off.</summary>
    public bool Enabled { get; set; }

    /// <summary>Upper limit on each specialist's epochs. Default 100.</summary>
    public int MaxEpochs { get; set; } = 100;

    /// <summary>Upper limit on each specialist's wall-clock training time; with <see
    /// cref="TimeBudgetOptions.MaxTrainingTime"/>, a specialist trains for the lower of this and its share of the
    /// budget. Default none.</summary>
    public TimeSpan? MaxTrainingTime { get; set; }

    /// <summary>Initial learning rate of each specialist. Default <see langword="null"/>: the rate the base network
    /// trained with in the epoch whose weights the specialists start from.</summary>
    public double? LearningRate { get; set; }

    internal SpecialistOptions Clone() => (SpecialistOptions)MemberwiseClone();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEpochs);
        if (LearningRate is <= 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(LearningRate),
                LearningRate,
                "Specialists.LearningRate must be positive."
            );
        }

        if (MaxTrainingTime is { } budget && budget <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxTrainingTime),
                budget,
                "Specialists.MaxTrainingTime must be positive."
            );
        }
    }
}
