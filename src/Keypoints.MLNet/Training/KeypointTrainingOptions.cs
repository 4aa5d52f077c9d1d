using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Microsoft.ML;

namespace Keypoints.MLNet.Training;

/// <summary>
/// The settings the TorchSharp training engine reads: columns, network, pixel scaling, flips and augmentation,
/// validation, missing-label policy, seed and test-time flip, with the groups <see cref="Schedule"/>, <see
/// cref="TimeBudget"/>,
/// <see cref="Checkpoints"/>, <see cref="Specialists"/> and <see cref="Pretraining"/>. The defaults are the recommended
/// recipe, the one <c>keypoints train</c> uses: <see cref="KeypointArchitecture.ResNet18Integral"/> with the absolute
/// error, the default augmentation with flips, test-time flip, Adam on batches of 32, a 30-minute budget (see
/// <c>docs/decisions.md#training-recipe</c>); a smaller, faster run says so explicitly.
/// </summary>
/// <remarks>
/// This is the base of the estimators' nested <c>Options</c> (ML.NET's <c>OptionsBase</c> pattern): user code writes
/// <c>new KeypointTrainingOptions { ... }</c>, and the engine, one layer below the estimators, reads these settings
/// without knowing the estimator.
/// </remarks>
public class KeypointTrainingOptions
{
    /// <summary>Column of <c>C * H * W</c> pixel values, channel-major (CHW). Default <c>Image</c>.</summary>
    public string FeatureColumnName { get; set; } = "Image";

    /// <summary>Column of <c>2K</c> pixel coordinates, NaN where missing (used only by Fit). Default
    /// <c>Keypoints</c>.</summary>
    public string LabelColumnName { get; set; } = "Keypoints";

    /// <summary>Output column of <c>2K</c> predicted pixel coordinates. Default <c>PredictedKeypoints</c>.</summary>
    public string PredictedColumnName { get; set; } = "PredictedKeypoints";

    /// <summary>The keypoint set and image size. Default <see langword="null"/>: the layout of a view from
    /// <c>LoadFkdCsv</c> (<see cref="FkdDataView.Layout"/>) or <c>LoadImageCsv</c>, else the one the label column's
    /// slot names describe (<c>name_x</c>, <c>name_y</c> or <c>x0</c>, <c>y0</c>, ...; Kaggle's 30 names give <see
    /// cref="KeypointLayout.Kaggle15"/> with its groups) with the image size of the feature column (a square of <see
    /// cref="Channels"/> channels, so 128 x 128 Kaggle-layout faces train too); without either, Fit fails with an <see
    /// cref="ArgumentException"/> naming the label column.</summary>
    public KeypointLayout? Layout { get; set; }

    /// <summary>Image channels: 1 for grey (default), 3 for color.</summary>
    public int Channels { get; set; } = 1;

    /// <summary>The network. Default <see cref="KeypointArchitecture.ResNet18Integral"/>.</summary>
    public KeypointArchitecture Architecture { get; set; } = KeypointArchitecture.ResNet18Integral;

    /// <summary>With <see cref="KeypointArchitecture.ResNet18Pretrained"/>, keep the ImageNet weights of the stem
    /// (first convolution and its batch norm) and of the first this many of the four residual stages: they do not
    /// train, and their batch norms keep ImageNet's statistics. 0 (default) trains every layer; 4 trains only the
    /// linear output. Other architectures accept only 0.</summary>
    public int FrozenStages { get; set; }

    /// <summary>Pixel values are mapped to <c>(value - PixelOffset) * PixelScale</c> before the network, in training
    /// and inside the exported graph. The defaults map grey levels 0-255 to [0, 1]. Set <see cref="PixelScale"/> to 1
    /// when the feature column is already normalized (for example by <c>NormalizePixels</c>). <see
    /// cref="KeypointArchitecture.ResNet18Pretrained"/> expects [0, 1] here: it subtracts ImageNet's channel means and
    /// rescales to 0-255 itself.</summary>
    public float PixelOffset { get; set; }

    /// <summary>See <see cref="PixelOffset"/>. Default 1/255.</summary>
    public float PixelScale { get; set; } = 1f / 255f;

    /// <summary>How missing coordinates are handled. Default <see cref="MissingLabelPolicy.Mask"/>.</summary>
    public MissingLabelPolicy MissingLabels { get; set; } = MissingLabelPolicy.Mask;

    /// <summary>Mirror a random half of every batch left to right, swapping left and right keypoints. Training only.
    /// Default on.</summary>
    public bool FlipAugmentation { get; set; } = true;

    /// <summary>With <see cref="FlipAugmentation"/>, find where the labels' mirror axis lies instead of assuming the
    /// image's center line: each epoch compares the x errors of the mirrored and the direct rows of the training
    /// batches and moves the axis by half their difference (the model's <c>FlipAxisOffset</c>, in pixels); the
    /// test-time flip mirrors about the same axis. Default on (see
    /// <c>docs/decisions.md#flip-axis-calibration</c>).</summary>
    public bool CalibrateFlipAxis { get; set; } = true;

    /// <summary>Random rotation, scale, shift, blur, contrast and brightness of every training batch, after the flip;
    /// keypoints move with the pixels. Training only. Default <see cref="AugmentationOptions.Default"/>;
    /// <see cref="AugmentationOptions.None"/> turns it off.</summary>
    public AugmentationOptions Augmentation { get; set; } = AugmentationOptions.Default;

    /// <summary>Validation rows (same columns as the training data). When <see langword="null"/>,
    /// <see cref="ValidationFraction"/> of the training rows are held out instead.</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Fraction of training rows held out for validation when <see cref="ValidationData"/> is not given.
    /// Default 0.2; 0 trains on all rows without validation.</summary>
    public double ValidationFraction { get; set; } = 0.2;

    /// <summary>Seed for initialization, shuffling, splitting and augmentation; with the same seed a CPU run is
    /// repeatable. Default <see langword="null"/>: drawn from the <see cref="MLContext"/>'s random source.</summary>
    public int? Seed { get; set; }

    /// <summary>Score every face and its mirror image and average the two predictions (the mirrored one with left and
    /// right swapped back), inside the exported graph: test-time flip augmentation. Costs twice the scoring time.
    /// Training then validates that averaged prediction too, so the best epoch, early stopping and each specialist's
    /// choice between its own and the base network's weights judge what the model serves (a specialist whose group is
    /// not closed under mirroring validates without it). Default on.</summary>
    public bool TestTimeFlip { get; set; } = true;

    /// <summary>The loss the network trains with. Default <see cref="KeypointLoss.MeanAbsoluteError"/>.</summary>
    public KeypointLoss Loss { get; set; } = KeypointLoss.MeanAbsoluteError;

    /// <summary>The terms of use of the training data, which the model records (its metadata's
    /// <c>Terms</c>) so that whoever scores with it can read them, for example "Research use
    /// only: ...". Default <see langword="null"/>: none, or with <c>StartFrom</c> the starting model's.</summary>
    public string? Terms { get; set; }

    /// <summary>Receives a report after every epoch (also written to <see cref="MLContext.Log"/>); a specialist's
    /// reports carry its group in <see cref="EpochReport.Specialist"/>.</summary>
    public IProgress<EpochReport>? Progress { get; set; }

    /// <summary>Epochs, batch size, optimizer and learning-rate schedule, early stopping. Defaults: see <see
    /// cref="ScheduleOptions"/>.</summary>
    public ScheduleOptions Schedule { get; set; } = new();

    /// <summary>The Fit's wall-clock budget and its shares. Default: 30 minutes (see <see
    /// cref="TimeBudgetOptions"/>).</summary>
    public TimeBudgetOptions TimeBudget { get; set; } = new();

    /// <summary>Checkpoints to resume an interrupted Fit from. Default: none (see <see
    /// cref="CheckpointOptions"/>).</summary>
    public CheckpointOptions Checkpoints { get; set; } = new();

    /// <summary>Nouri's specialists after the base network. Default: off (see <see
    /// cref="SpecialistOptions"/>).</summary>
    public SpecialistOptions Specialists { get; set; } = new();

    /// <summary>Denoising-autoencoder pre-training of the trunk. Default: off (see <see
    /// cref="PretrainingOptions"/>).</summary>
    public PretrainingOptions Pretraining { get; set; } = new();

    /// <summary>Checks every setting; the training engine calls it once per Fit, before it reads the data.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(FeatureColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(LabelColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(PredictedColumnName);
        if (!Enum.IsDefined(Loss))
            throw new ArgumentOutOfRangeException(nameof(Loss), Loss, "Unknown keypoint loss.");
        if (Channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(
                nameof(Channels),
                Channels,
                "Channels must be 1 (grey) or 3 (color)."
            );
        }

        if (ValidationFraction is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(ValidationFraction),
                ValidationFraction,
                "ValidationFraction must be in [0, 1)."
            );
        }

        if (PixelScale == 0 || !float.IsFinite(PixelScale) || !float.IsFinite(PixelOffset))
        {
            throw new ArgumentOutOfRangeException(
                nameof(PixelScale),
                PixelScale,
                "PixelScale must be finite and non-zero."
            );
        }

        if (FrozenStages is < 0 or > ResNet18Pretrained.Stages)
        {
            throw new ArgumentOutOfRangeException(
                nameof(FrozenStages),
                FrozenStages,
                $"FrozenStages must be 0 to {ResNet18Pretrained.Stages}."
            );
        }

        if (FrozenStages > 0 && Architecture != KeypointArchitecture.ResNet18Pretrained)
        {
            throw new ArgumentException(
                $"FrozenStages needs the pretrained network {KeypointArchitecture.ResNet18Pretrained}; {Architecture} "
                    + $"starts from random weights.",
                nameof(FrozenStages)
            );
        }

        ArgumentNullException.ThrowIfNull(Augmentation);
        Augmentation.Validate();
        ValidateGroups();
    }

    private void ValidateGroups()
    {
        ArgumentNullException.ThrowIfNull(Schedule);
        ArgumentNullException.ThrowIfNull(TimeBudget);
        ArgumentNullException.ThrowIfNull(Checkpoints);
        ArgumentNullException.ThrowIfNull(Specialists);
        ArgumentNullException.ThrowIfNull(Pretraining);
        Schedule.Validate();
        TimeBudget.Validate();
        Checkpoints.Validate();
        Specialists.Validate();
        Pretraining.Validate();
        if (Pretraining.Epochs > 0 && Architecture == KeypointArchitecture.Mlp)
        {
            throw new ArgumentException(
                "Pretraining.Epochs needs a network with a convolutional trunk; Mlp has none.",
                nameof(Pretraining)
            );
        }
    }

    /// <summary>The checks that need the data's layout, run before anything trains.</summary>
    internal void Validate(KeypointLayout layout)
    {
        if (Specialists.Enabled && layout.Groups.Count == 0)
        {
            throw new ArgumentException(
                $"Specialists need keypoint groups, and layout '{layout.Name}' has none. Set Layout to a layout with "
                    + $"groups "
                    + "(KeypointLayout.Kaggle15, KeypointLayout.Ibug68 or your own) or turn Specialists.Enabled off.",
                nameof(Specialists)
            );
        }

        if (Checkpoints.Folder is { } folder)
            CheckWritable(folder);
    }

    /// <summary>Fails now, rather than after the first epoch, when checkpoints cannot be written to <paramref
    /// name="folder"/>.</summary>
    private static void CheckWritable(string folder)
    {
        if (File.Exists(folder))
            throw new ArgumentException($"Checkpoints.Folder '{folder}' is a file, not a folder.", nameof(Checkpoints));
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException(
                $"Checkpoints.Folder '{folder}' cannot be written: {e.Message}",
                nameof(Checkpoints),
                e
            );
        }
    }

    /// <summary>A copy whose groups are copies too, for a caller that must change a few settings without touching the
    /// user's object (the data views, layout, augmentation and progress receivers are shared).</summary>
    internal KeypointTrainingOptions Clone()
    {
        var copy = (KeypointTrainingOptions)MemberwiseClone();
        copy.Schedule = Schedule.Clone();
        copy.TimeBudget = TimeBudget.Clone();
        copy.Checkpoints = Checkpoints.Clone();
        copy.Specialists = Specialists.Clone();
        copy.Pretraining = Pretraining.Clone();
        return copy;
    }

    /// <summary>The options one specialist trains with: its epoch limit and learning rate, its own checkpoint
    /// sub-folder, flips (in training and in validation) only when its group is closed under mirroring, about the base
    /// network's mirror axis; <paramref name="baseLearningRate"/> is the rate of the base network's kept
    /// epoch.</summary>
    internal KeypointTrainingOptions ForSpecialist(string groupName, bool canFlip, double baseLearningRate)
    {
        var copy = Clone();
        copy.Schedule.MaxEpochs = Specialists.MaxEpochs;
        copy.Schedule.LearningRate = Specialists.LearningRate ?? baseLearningRate;
        copy.FlipAugmentation = FlipAugmentation && canFlip;
        copy.TestTimeFlip = TestTimeFlip && canFlip;
        copy.CalibrateFlipAxis = false;
        copy.Checkpoints.Folder = Checkpoints.Folder is null
            ? null
            : Path.Combine(Checkpoints.Folder, "specialist-" + groupName);
        return copy;
    }
}
