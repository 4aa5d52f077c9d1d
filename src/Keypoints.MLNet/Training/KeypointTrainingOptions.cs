using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Microsoft.ML;

namespace Keypoints.MLNet.Training;

/// <summary>
/// The settings the TorchSharp training engine reads: columns, network, pixel scaling, optimizer and schedules, early
/// stopping, validation, augmentation, missing-label policy, seed, checkpoints, specialists and test-time flip. Every
/// default is the recommended starting point.
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

    /// <summary>Column of <c>2K</c> pixel coordinates, NaN where missing (used only by Fit). Default <c>Keypoints</c>.</summary>
    public string LabelColumnName { get; set; } = "Keypoints";

    /// <summary>Output column of <c>2K</c> predicted pixel coordinates. Default <c>PredictedKeypoints</c>.</summary>
    public string PredictedColumnName { get; set; } = "PredictedKeypoints";

    /// <summary>The keypoint set and image size. Default <see langword="null"/>: the layout of a view from
    /// <c>LoadFkdCsv</c> (<see cref="FkdDataView.Layout"/>) or <c>LoadImageCsv</c>, else the one the label column's slot names
    /// describe (<c>name_x</c>, <c>name_y</c> or <c>x0</c>, <c>y0</c>, ...; Kaggle's 30 names give <see cref="KeypointLayout.Kaggle15"/>
    /// with its groups) with the image size of the feature column (a square of <see cref="Channels"/> channels, so 128 x 128
    /// Kaggle-layout faces train too); without either, Fit fails with an <see cref="ArgumentException"/> naming the label column.</summary>
    public KeypointLayout? Layout { get; set; }

    /// <summary>Image channels: 1 for grey (default), 3 for color.</summary>
    public int Channels { get; set; } = 1;

    /// <summary>The network. Default <see cref="KeypointArchitecture.ConvNet3"/>.</summary>
    public KeypointArchitecture Architecture { get; set; } = KeypointArchitecture.ConvNet3;

    /// <summary>With <see cref="KeypointArchitecture.ResNet18Pretrained"/>, keep the ImageNet weights of the stem (first convolution
    /// and its batch norm) and of the first this many of the four residual stages: they do not train, and their batch norms keep
    /// ImageNet's statistics. 0 (default) trains every layer; 4 trains only the linear output. Other architectures accept only 0.</summary>
    public int FrozenStages { get; set; }

    /// <summary>Pixel values are mapped to <c>(value - PixelOffset) * PixelScale</c> before the network, in training and
    /// inside the exported graph. The defaults map grey levels 0-255 to [0, 1]. Set <see cref="PixelScale"/> to 1 when the
    /// feature column is already normalized (for example by <c>NormalizePixels</c>). <see cref="KeypointArchitecture.ResNet18Pretrained"/>
    /// expects [0, 1] here: it subtracts ImageNet's channel means and rescales to 0-255 itself.</summary>
    public float PixelOffset { get; set; }

    /// <summary>See <see cref="PixelOffset"/>. Default 1/255.</summary>
    public float PixelScale { get; set; } = 1f / 255f;

    /// <summary>Upper limit on training epochs. Default 150 (about 20 minutes of ConvNet3 on the Kaggle training set on 2 CPU cores).</summary>
    public int MaxEpochs { get; set; } = 150;

    /// <summary>Upper limit on the wall-clock time of the whole Fit, from reading the data to the last specialist: no stage
    /// starts an epoch that, as long as its last one, would overrun the stage's share. The shares: pre-training may use at most
    /// <see cref="PretrainingTimeShare"/> (default 20%); the base network gets <see cref="BaseNetworkTimeShare"/> (default 50%)
    /// of what is left when <see cref="Specialists"/> follow, else all of it; the specialists share what is left after the base
    /// network equally (each at most <see cref="SpecialistMaxTrainingTime"/>; a specialist that ends early leaves its time to
    /// the next ones; one whose share would not hold an epoch keeps the base network's weights). A run resumed from a
    /// checkpoint counts the time the interrupted run recorded. The base network always trains at least one epoch; exporting
    /// the trained networks to ONNX at the end (seconds) comes on top. Default none.</summary>
    public TimeSpan? MaxTrainingTime { get; set; }

    /// <summary>With <see cref="MaxTrainingTime"/> and <see cref="PretrainingEpochs"/>, the largest fraction of the budget that
    /// pre-training may use; it stops after the last epoch that fits. In (0, 1]. Default 0.2.</summary>
    public double PretrainingTimeShare { get; set; } = 0.2;

    /// <summary>With <see cref="MaxTrainingTime"/> and <see cref="Specialists"/>, the fraction of the budget left after
    /// pre-training that the base network may use; the specialists share the rest. In (0, 1]. Default 0.5.</summary>
    public double BaseNetworkTimeShare { get; set; } = 0.5;

    /// <summary>Images per mini-batch. Default 128, as in Nouri's nets.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>The optimization method. Default <see cref="KeypointOptimizer.Adam"/>.</summary>
    public KeypointOptimizer Optimizer { get; set; } = KeypointOptimizer.Adam;

    /// <summary>Initial learning rate. Default <see langword="null"/>: 0.001 for Adam, 0.03 for Nesterov.</summary>
    public double? LearningRate { get; set; }

    /// <summary>Adam: the learning rate is multiplied by this factor after every epoch. Default 0.98; 1 keeps it constant.</summary>
    public double LearningRateDecay { get; set; } = 0.98;

    /// <summary>Nesterov: learning rate reached at the last epoch. Default 0.0001.</summary>
    public double FinalLearningRate { get; set; } = 1e-4;

    /// <summary>Nesterov: momentum at the first epoch. Default 0.9.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>Nesterov: momentum at the last epoch. Default 0.999.</summary>
    public double FinalMomentum { get; set; } = 0.999;

    /// <summary>L2 weight decay. Default 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>How missing coordinates are handled. Default <see cref="MissingLabelPolicy.Mask"/>.</summary>
    public MissingLabelPolicy MissingLabels { get; set; } = MissingLabelPolicy.Mask;

    /// <summary>Mirror a random half of every batch left to right, swapping left and right keypoints. Training only. Default on.</summary>
    public bool FlipAugmentation { get; set; } = true;

    /// <summary>With <see cref="FlipAugmentation"/>, find where the labels' mirror axis lies instead of assuming the image's
    /// center line: labels written in another convention than pixel centers at integer coordinates (1-based, pixel edges,
    /// or a crop computed in another convention) sit a fraction of a pixel or more right or left of the features, and a
    /// flip about the wrong axis teaches the network to miss every x by that much. Each epoch compares the x errors of
    /// the mirrored and the direct rows of the training batches and moves the axis by half their difference
    /// (see the model's <c>FlipAxisOffset</c>); the test-time flip mirrors about the same axis. Default on.</summary>
    public bool CalibrateFlipAxis { get; set; } = true;

    /// <summary>Random rotation, scale, shift, blur, contrast and brightness of every training batch, after the flip;
    /// keypoints move with the pixels. Training only. Default <see cref="AugmentationOptions.None"/> (off);
    /// <see cref="AugmentationOptions.Default"/> is a starting recipe.</summary>
    public AugmentationOptions Augmentation { get; set; } = AugmentationOptions.None;

    /// <summary>Epochs of denoising-autoencoder pre-training of the convolutional trunk before the keypoint training: the
    /// trunk learns to reconstruct every training image (rows with missing keypoints too) from a copy with Gaussian noise,
    /// through a small decoder that is then thrown away. Not run again when a run resumes from a checkpoint. Not available
    /// for <see cref="KeypointArchitecture.Mlp"/>, which has no convolutional trunk. Default 0 (off).</summary>
    public int PretrainingEpochs { get; set; }

    /// <summary>Standard deviation of the Gaussian noise added to the images during pre-training, in normalized pixel units
    /// (after <see cref="PixelOffset"/> and <see cref="PixelScale"/>; with the defaults pixels lie in [0, 1]). Default 0.2.</summary>
    public double PretrainingNoise { get; set; } = 0.2;

    /// <summary>Receives a report after every pre-training epoch (also written to <see cref="MLContext.Log"/>).</summary>
    public IProgress<PretrainingReport>? PretrainingProgress { get; set; }

    /// <summary>Validation rows (same columns as the training data). When <see langword="null"/>,
    /// <see cref="ValidationFraction"/> of the training rows are held out instead.</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Fraction of training rows held out for validation when <see cref="ValidationData"/> is not given. Default 0.2; 0 trains on all rows without validation.</summary>
    public double ValidationFraction { get; set; } = 0.2;

    /// <summary>Stop after this many epochs without a lower validation RMSE; 0 turns early stopping off. Default 30:
    /// with Adam the validation RMSE moves by a tenth of a pixel from epoch to epoch, so a short patience stops runs that still improve.</summary>
    public int EarlyStoppingPatience { get; set; } = 30;

    /// <summary>End with the weights of the epoch with the lowest validation RMSE. Default on.</summary>
    public bool RestoreBestWeights { get; set; } = true;

    /// <summary>Seed for initialization, shuffling, splitting and augmentation; with the same seed a CPU run is repeatable.
    /// Default <see langword="null"/>: drawn from the <see cref="MLContext"/>'s random source.</summary>
    public int? Seed { get; set; }

    /// <summary>Folder for training checkpoints (weights, optimizer state, schedule position, early-stopping state, history),
    /// each written atomically through a temporary file and a rename. Default <see langword="null"/>: no checkpoints.</summary>
    public string? CheckpointFolder { get; set; }

    /// <summary>Write a checkpoint every this many epochs (and after the last one). Default 1.</summary>
    public int CheckpointEvery { get; set; } = 1;

    /// <summary>Continue from the checkpoint in <see cref="CheckpointFolder"/> when there is one; the options and data must be
    /// those of the interrupted run, and with a seed the result equals an uninterrupted run's. Default off.</summary>
    public bool ResumeFromCheckpoint { get; set; }

    /// <summary>After the base network, train Nouri's specialists: for every keypoint group of the layout (the six Kaggle groups),
    /// a copy of the base network, initialised from its weights, fine-tuned on the rows where the whole group is present with its own
    /// early stopping; the model then predicts each group with its specialist. Default off.</summary>
    public bool Specialists { get; set; }

    /// <summary>Upper limit on each specialist's epochs. Default 100.</summary>
    public int SpecialistMaxEpochs { get; set; } = 100;

    /// <summary>Upper limit on each specialist's wall-clock training time; with <see cref="MaxTrainingTime"/>, a specialist
    /// trains for the lower of this and its share of the budget. Default none.</summary>
    public TimeSpan? SpecialistMaxTrainingTime { get; set; }

    /// <summary>Initial learning rate of each specialist. Default <see langword="null"/>: the rate the base network trained with
    /// in the epoch whose weights the specialists start from, so fine-tuning continues where the base network's schedule
    /// had got to instead of restarting it hot.</summary>
    public double? SpecialistLearningRate { get; set; }

    /// <summary>Score every face and its mirror image and average the two predictions (the mirrored one with left and right
    /// swapped back), inside the exported graph: test-time flip augmentation. Costs twice the scoring time. Training then validates
    /// that averaged prediction too, so the best epoch, early stopping and each specialist's choice between its own and the base
    /// network's weights judge what the model serves (a specialist whose group is not closed under mirroring validates without it).
    /// Default off.</summary>
    public bool TestTimeFlip { get; set; }

    /// <summary>Receives a report after every epoch (also written to <see cref="MLContext.Log"/>); a specialist's reports
    /// carry its group in <see cref="EpochReport.Specialist"/>.</summary>
    public IProgress<EpochReport>? Progress { get; set; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(FeatureColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(LabelColumnName);
        ArgumentException.ThrowIfNullOrWhiteSpace(PredictedColumnName);
        if (Channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(Channels), Channels, "Channels must be 1 (grey) or 3 (color).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEpochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(EarlyStoppingPatience);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(CheckpointEvery);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SpecialistMaxEpochs);
        if (SpecialistLearningRate is <= 0)
            throw new ArgumentOutOfRangeException(nameof(SpecialistLearningRate), SpecialistLearningRate, "SpecialistLearningRate must be positive.");
        if (ResumeFromCheckpoint && CheckpointFolder is null)
            throw new ArgumentException("ResumeFromCheckpoint needs a CheckpointFolder to resume from.", nameof(ResumeFromCheckpoint));
        if (ValidationFraction is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must be in [0, 1).");
        if (LearningRate is <= 0)
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive.");
        if (PixelScale == 0 || !float.IsFinite(PixelScale) || !float.IsFinite(PixelOffset))
            throw new ArgumentOutOfRangeException(nameof(PixelScale), PixelScale, "PixelScale must be finite and non-zero.");
        if (FrozenStages is < 0 or > ResNet18Pretrained.Stages)
            throw new ArgumentOutOfRangeException(nameof(FrozenStages), FrozenStages, $"FrozenStages must be 0 to {ResNet18Pretrained.Stages}.");
        if (FrozenStages > 0 && Architecture != KeypointArchitecture.ResNet18Pretrained)
            throw new ArgumentException($"FrozenStages needs the pretrained network {KeypointArchitecture.ResNet18Pretrained}; {Architecture} starts from random weights.", nameof(FrozenStages));
        ArgumentOutOfRangeException.ThrowIfNegative(PretrainingEpochs);
        if (PretrainingEpochs > 0 && Architecture == KeypointArchitecture.Mlp)
            throw new ArgumentException("PretrainingEpochs needs a network with a convolutional trunk; Mlp has none.", nameof(PretrainingEpochs));
        if (PretrainingNoise is < 0 || !double.IsFinite(PretrainingNoise))
            throw new ArgumentOutOfRangeException(nameof(PretrainingNoise), PretrainingNoise, "PretrainingNoise must be finite and not negative.");
        ArgumentNullException.ThrowIfNull(Augmentation);
        Augmentation.Validate();
        if (MaxTrainingTime is { } budget && budget <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxTrainingTime), budget, "MaxTrainingTime must be positive.");
        if (SpecialistMaxTrainingTime is { } specialistBudget && specialistBudget <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(SpecialistMaxTrainingTime), specialistBudget, "SpecialistMaxTrainingTime must be positive.");
        if (PretrainingTimeShare is not (> 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(PretrainingTimeShare), PretrainingTimeShare, "PretrainingTimeShare must be in (0, 1].");
        if (BaseNetworkTimeShare is not (> 0 and <= 1))
            throw new ArgumentOutOfRangeException(nameof(BaseNetworkTimeShare), BaseNetworkTimeShare, "BaseNetworkTimeShare must be in (0, 1].");
    }

    /// <summary>The checks that need the data's layout, run before anything trains.</summary>
    internal void Validate(KeypointLayout layout)
    {
        if (Specialists && layout.Groups.Count == 0)
            throw new ArgumentException(
                $"Specialists need keypoint groups, and layout '{layout.Name}' has none. Set Layout to a layout with groups " +
                "(KeypointLayout.Kaggle15, KeypointLayout.Ibug68 or your own) or turn Specialists off.", nameof(Specialists));
        if (CheckpointFolder is { } folder)
            CheckWritable(folder);
    }

    /// <summary>Fails now, rather than after the first epoch, when checkpoints cannot be written to <paramref name="folder"/>.</summary>
    private static void CheckWritable(string folder)
    {
        if (File.Exists(folder))
            throw new ArgumentException($"CheckpointFolder '{folder}' is a file, not a folder.", nameof(CheckpointFolder));
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"CheckpointFolder '{folder}' cannot be written: {e.Message}", nameof(CheckpointFolder), e);
        }
    }

    /// <summary>A shallow copy, for a caller that must change a few settings without touching the user's object.</summary>
    internal KeypointTrainingOptions Clone() => (KeypointTrainingOptions)MemberwiseClone();

    /// <summary>The options one specialist trains with: its epoch limit and learning rate, its own checkpoint
    /// sub-folder, flips (in training and in validation) only when its group is closed under mirroring, about the base
    /// network's mirror axis; <paramref name="baseLearningRate"/> is the rate of the base network's kept epoch.</summary>
    internal KeypointTrainingOptions ForSpecialist(string groupName, bool canFlip, double baseLearningRate)
    {
        var copy = (KeypointTrainingOptions)MemberwiseClone();
        copy.MaxEpochs = SpecialistMaxEpochs;
        copy.LearningRate = SpecialistLearningRate ?? baseLearningRate;
        copy.FlipAugmentation = FlipAugmentation && canFlip;
        copy.TestTimeFlip = TestTimeFlip && canFlip;
        copy.CalibrateFlipAxis = false;
        copy.CheckpointFolder = CheckpointFolder is null ? null : Path.Combine(CheckpointFolder, "specialist-" + groupName);
        return copy;
    }
}
