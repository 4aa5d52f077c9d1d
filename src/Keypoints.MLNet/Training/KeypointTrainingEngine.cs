using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Runtime;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace Keypoints.MLNet.Training;

/// <summary>
/// The TorchSharp training session behind the keypoint estimators: reads the rows once, splits off validation rows,
/// optionally pre-trains, trains the base network and the specialists, and returns a <see
/// cref="KeypointTrainingResult"/>. It knows nothing of ONNX or of the model types: the estimator above it exports the
/// result and builds the model.
/// </summary>
internal sealed class KeypointTrainingEngine
{
    private readonly MLContext mlContext;
    private readonly KeypointTrainingOptions options;
    private readonly FineTuningStart? start;

    /// <summary>Prepares a run with <paramref name="options"/>; with <paramref name="start"/>, the base network starts
    /// from a trained model's weights instead of random ones (fine-tuning), and the options' architecture and channels
    /// must be the model's.</summary>
    public KeypointTrainingEngine(MLContext mlContext, KeypointTrainingOptions options, FineTuningStart? start = null)
    {
        this.mlContext = mlContext;
        this.options = options;
        this.start = start;
    }

    /// <summary>Trains on <paramref name="input"/> within <see cref="TimeBudgetOptions.MaxTrainingTime"/> (see
    /// <see cref="TrainingBudget"/>). Every check of the options, the columns, the layout and the checkpoint folder
    /// runs before the first epoch (of pre-training or training).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type or size.</exception>
    /// <exception cref="ArgumentException">No layout is given and none can be found, specialists on a layout without
    /// groups, a checkpoint folder that cannot be written, or fine-tuning on data of another layout or with
    /// pre-training.</exception>
    /// <exception cref="InvalidOperationException">No training rows, pixels that look normalized twice, or a checkpoint
    /// of another run.</exception>
    public KeypointTrainingResult Train(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var budget = new TrainingBudget(options);
        var layout = CheckInputs(input);
        TorchRuntime.EnsureInitialized();
        var host = ((IHostEnvironment)mlContext).Register("KeypointCnnTrainer");
        // A resumed run without an explicit seed continues with the seed of the run it resumes.
        int seed = options.Seed
            ?? (
                options.Checkpoints.Resume && options.Checkpoints.Folder is { } folder
                    ? TrainingCheckpoint.TryReadSeed(folder)
                    : null
            )
            ?? host.Rand.Next();
        var scaling = new CoordinateScaling(layout);
        var (all, train, validation) = ReadRows(input, layout, scaling, seed);
        using var channel = host.Start("Training");
        var session = new TrainingSession(
            TorchRuntime.SelectDevice(mlContext.GpuDeviceId, mlContext.FallbackToCpu),
            report => ReportEpoch(channel, report),
            budget
        );
        channel.Info(
            MessageSensitivity.None,
            $"{(start is null ? "Training" : "Fine-tuning")} {options.Architecture} on {train.Rows} rows "
                + $"({validation?.Rows ?? 0} validation) on {session.Device.type}, seed {seed}."
        );
        if (session.Device.type == DeviceType.CPU && MallocArenaAdvice.ForCurrentThread() is { } advice)
            channel.Warning(MessageSensitivity.None, advice);
        var (ensemble, history, specialistHistories, flipAxisOffset) = TrainNetworks(
            layout,
            train,
            validation,
            seed,
            session,
            channel
        );
        return new KeypointTrainingResult
        {
            Ensemble = ensemble,
            Layout = layout,
            History = history,
            SpecialistHistories = specialistHistories,
            FlipAxisOffset = flipAxisOffset,
            Framing = FaceFraming.Measure(layout, all.PixelLabels(scaling)),
        };
    }

    /// <summary>Every check of the options, the columns, the layout and the fine-tuning start; returns the data's
    /// layout.</summary>
    private KeypointLayout CheckInputs(IDataView input)
    {
        options.Validate();
        var layout = KeypointLayoutResolver.Resolve(
            input,
            options.Layout,
            options.LabelColumnName,
            nameof(options.Layout),
            LayoutImageSize.FromColumn(options.FeatureColumnName, options.Channels)
        );
        var networkInput = NetworkInputOf(layout);
        CheckColumns(input.Schema, layout, networkInput);
        if (options.ValidationData is { } validationData)
            CheckColumns(validationData.Schema, layout, networkInput);
        options.Validate(layout);
        if (start is not null)
        {
            start.CheckData(layout, nameof(options.Layout));
            if (options.Pretraining.Epochs > 0)
            {
                throw new ArgumentException(
                    "Fine-tuning starts from trained weights, which pre-training would overwrite; set "
                        + "Pretraining.Epochs to 0.",
                    nameof(options.Pretraining)
                );
            }
        }
        return layout;
    }

    private NetworkInput NetworkInputOf(KeypointLayout layout) =>
        new(options.Channels, layout.ImageHeight, layout.ImageWidth);

    /// <summary>Reads every row once and splits off the validation rows; fails before training when nothing is left to
    /// train on, the pixels look normalized twice, or the checkpoint to resume belongs to another run.</summary>
    private (TrainingData All, TrainingData Train, TrainingData? Validation) ReadRows(
        IDataView input,
        KeypointLayout layout,
        CoordinateScaling scaling,
        int seed
    )
    {
        bool dropIncomplete = options.MissingLabels == MissingLabelPolicy.DropRows;
        var all = TrainingData.Read(input, options, NetworkInputOf(layout), scaling, dropIncomplete);
        var (train, validation) = Split(all, scaling, NetworkInputOf(layout), seed);
        if (train.Rows == 0)
        {
            throw new InvalidOperationException(
                dropIncomplete
                    ? $"No training row has every keypoint of column '{options.LabelColumnName}'; use "
                        + $"MissingLabelPolicy.Mask to train on partial labels."
                    : "The training data has no rows."
            );
        }

        CheckNotNormalizedTwice(train);
        if (options.Checkpoints.Resume && options.Checkpoints.Folder is { } checkpoints)
        {
            TrainingCheckpoint.CheckResumable(
                checkpoints,
                TrainingLoop.Fingerprint(options, train, seed, start?.Weights.ContentHash)
            );
        }

        return (all, train, validation);
    }

    /// <summary>Pre-trains when asked, trains the base network and then, when asked, the specialists; returns the
    /// networks on the CPU in eval mode with the histories and the flip axis of the base network's kept
    /// weights.</summary>
    private (
        KeypointEnsemble Ensemble,
        IReadOnlyList<EpochReport> History,
        Dictionary<string, IReadOnlyList<EpochReport>> SpecialistHistories,
        double FlipAxisOffset
    ) TrainNetworks(
        KeypointLayout layout,
        TrainingData train,
        TrainingData? validation,
        int seed,
        TrainingSession session,
        IChannel channel
    )
    {
        TorchSharp.torch.manual_seed(seed);
        var network = NetworkFactory.Create(
            options.Architecture,
            NetworkInputOf(layout),
            layout.CoordinateCount,
            options.FrozenStages
        );
        KeypointEnsemble? ensemble = null;
        try
        {
            Prepare(network, train, seed, session, channel);
            var stage = new TrainingStage(layout, options, seed, session.Budget.BaseNetwork)
            {
                FlipAxisOffset = start?.FlipAxisOffset ?? 0,
                StartedFrom = start?.Weights.ContentHash,
            };
            var loop = new TrainingLoop(network, stage, session);
            var history = loop.Run(train, validation);
            var specialistHistories = new Dictionary<string, IReadOnlyList<EpochReport>>();
            if (options.Specialists.Enabled)
            {
                (ensemble, specialistHistories) = new SpecialistTrainer(layout, options, session).Train(
                    Outcome(network, loop.FlipAxisOffset, history),
                    train,
                    validation,
                    seed
                );
            }
            else
            {
                network.to(TorchSharp.torch.CPU);
                ensemble = KeypointEnsemble.Single(network);
            }
            ensemble.Eval();
            return (ensemble, history, specialistHistories, loop.FlipAxisOffset);
        }
        catch
        {
            if (ensemble is not null)
                ensemble.Dispose();
            else
                network.Dispose();
            throw;
        }
    }

    /// <summary>Copies the fine-tuning start's weights in, moves the network to the device, and pre-trains it when
    /// asked.</summary>
    private void Prepare(
        KeypointNetwork network,
        TrainingData train,
        int seed,
        TrainingSession session,
        IChannel channel
    )
    {
        start?.Weights.CopyTo(network);
        network.to(session.Device);
        if (DenoisingAutoencoderPretrainer.IsWanted(options))
        {
            new DenoisingAutoencoderPretrainer(network, options, session.Device, report =>
                ReportPretraining(channel, report)
            ).Run(train, seed, session.Budget.Pretraining);
        }
    }

    /// <summary>What the specialists start from: the base network, its flip axis, the learning rate of its kept epoch,
    /// and its median epoch duration (a busy machine makes single epochs several times longer than usual).</summary>
    private BaseNetworkOutcome Outcome(
        KeypointNetwork network,
        double flipAxisOffset,
        IReadOnlyList<EpochReport> history
    )
    {
        var kept = (options.Schedule.RestoreBestWeights ? history.LastOrDefault(h => h.IsBest) : null)
            ?? history.LastOrDefault();
        double learningRate = kept?.LearningRate
            ?? options.Schedule.LearningRate
            ?? OptimizerSchedule.DefaultLearningRate(options.Schedule.Optimizer);
        var epochs = history
            .Select((h, i) => h.Elapsed - (i > 0 ? history[i - 1].Elapsed : TimeSpan.Zero))
            .Order()
            .ToArray();
        return new BaseNetworkOutcome(
            network,
            flipAxisOffset,
            learningRate,
            epochs.Length > 0 ? epochs[epochs.Length / 2] : TimeSpan.Zero
        );
    }

    private void ReportEpoch(IChannel channel, EpochReport report)
    {
        string stage = report.Specialist is { } group ? $"specialist {group}, " : "";
        channel.Info(
            MessageSensitivity.None,
            $"{stage}epoch {report.Epoch}: train loss {report.TrainLoss:F6}, validation RMSE "
                + $"{report.ValidationRmse:F3} px, "
                + $"{report.ImagesPerSecond:F0} images/s"
        );
        options.Progress?.Report(report);
    }

    private void ReportPretraining(IChannel channel, PretrainingReport report)
    {
        channel.Info(
            MessageSensitivity.None,
            $"pretraining epoch {report.Epoch}: reconstruction MSE {report.ReconstructionMse:F6}"
        );
        options.Pretraining.Progress?.Report(report);
    }

    private (TrainingData Train, TrainingData? Validation) Split(
        TrainingData all,
        CoordinateScaling scaling,
        NetworkInput input,
        int seed
    )
    {
        if (options.ValidationData is { } validationData)
        {
            var validation = TrainingData.Read(validationData, options, input, scaling, dropIncomplete: false);
            return (all, validation);
        }
        int held = (int)Math.Round(all.Rows * options.ValidationFraction);
        if (held == 0)
            return (all, null);
        int[] order = Enumerable.Range(0, all.Rows).ToArray();
        new Random(seed).Shuffle(order);
        return (all.Subset(order[held..]), all.Subset(order[..held]));
    }

    private void CheckNotNormalizedTwice(TrainingData train)
    {
        // Grey levels 0-255 scaled by 1/255 reach ~1; a max of at most 1/255 means the column was
        // already in [0, 1] (for example from NormalizePixels) and has been scaled a second time.
        if (options.PixelScale < 0.1f && train.MaxPixel <= 1.5f / 255f)
        {
            throw new InvalidOperationException(
                $"Column '{options.FeatureColumnName}' looks normalized already (values at most 1 before scaling by "
                    + $"{options.PixelScale}). "
                    + "Set Options.PixelScale = 1 and PixelOffset = 0 when NormalizePixels runs before the trainer."
            );
        }
    }

    private void CheckColumns(DataViewSchema schema, KeypointLayout layout, NetworkInput input)
    {
        SchemaChecks.RequireSingleVector(
            schema,
            options.FeatureColumnName,
            "feature",
            input.Size,
            $"{input.Channels} x {input.Height} x {input.Width} pixels"
        );
        SchemaChecks.RequireSingleVector(
            schema,
            options.LabelColumnName,
            "label",
            layout.CoordinateCount,
            $"x and y of the {layout.KeypointCount} keypoints of layout '{layout.Name}'"
        );
    }
}
