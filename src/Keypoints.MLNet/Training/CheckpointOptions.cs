namespace Keypoints.MLNet.Training;

/// <summary>Training checkpoints: weights, optimizer state, schedule position, early-stopping state and history, each
/// written atomically through a temporary file and a rename, so an interrupted Fit can continue where it
/// stopped.</summary>
public sealed class CheckpointOptions
{
    /// <summary>Folder of the checkpoints (specialists write to sub-folders <c>specialist-&lt;group&gt;</c>). Default
    /// <see langword="null"/>: no checkpoints.</summary>
    public string? Folder { get; set; }

    /// <summary>Write a checkpoint every this many epochs (and after the last one). Default 1.</summary>
    public int Every { get; set; } = 1;

    /// <summary>Continue from the checkpoint in <see cref="Folder"/> when there is one; the options and data must be
    /// those of the interrupted run (a checkpoint of another run is refused), and with a seed the result equals an
    /// uninterrupted run's. Default off.</summary>
    public bool Resume { get; set; }

    internal CheckpointOptions Clone() => (CheckpointOptions)MemberwiseClone();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Every);
        if (Resume && Folder is null)
        {
            throw new ArgumentException(
                "Checkpoints.Resume needs a Checkpoints.Folder to resume from.",
                nameof(Resume)
            );
        }
    }
}
