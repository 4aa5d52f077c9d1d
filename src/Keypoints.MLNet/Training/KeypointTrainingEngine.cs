using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Runtime;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace Keypoints.MLNet.Training;

/// <summary>
/// The TorchSharp training session behind the keypoint estimators: reads the rows once, splits off validation rows,
/// optionally pre-trains, trains the base network and the specialists, and returns a <see cref="KeypointTrainingResult"/>.
/// It knows nothing of ONNX or of the model types: the estimator above it exports the result and builds the model.
/// </summary>
internal sealed class KeypointTrainingEngine
{
    private readonly MLContext mlContext;
    private readonly KeypointTrainingOptions options;
    private readonly FineTuningStart? start;

    /// <summary>Prepares a run with <paramref name="options"/>; with <paramref name="start"/>, the base network starts from
    /// a trained model's weights instead of random ones (fine-tuning), and the options' architecture and channels must be the model's.</summary>
    public KeypointTrainingEngine(MLContext mlContext, KeypointTrainingOptions options, FineTuningStart? start = null)
    {
        this.mlContext = mlContext;
        this.options = options;
        this.start = start;
    }

    /// <summary>Trains on <paramref name="input"/> within <see cref="KeypointTrainingOptions.MaxTrainingTime"/> (see
    /// <see cref="TrainingBudget"/>). Every check of the options, the columns, the layout and the checkpoint folder runs
    /// before the first epoch (of pre-training or training).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type or size.</exception>
    /// <exception cref="ArgumentException">No layout is given and none can be found, specialists on a layout without groups, a
    /// checkpoint folder that cannot be written, or fine-tuning on data of another layout or with pre-training.</exception>
    /// <exception cref="InvalidOperationException">No training rows, pixels that look normalized twice, or a checkpoint of another run.</exception>
    public KeypointTrainingResult Train(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var budget = new TrainingBudget(options);
        options.Validate();
        var layout = KeypointLayoutResolver.Resolve(input, options.Layout, options.LabelColumnName, nameof(options.Layout),
            LayoutImageSize.FromColumn(options.FeatureColumnName, options.Channels));
        var networkInput = new NetworkInput(options.Channels, layout.ImageHeight, layout.ImageWidth);
        CheckColumns(input.Schema, layout, networkInput, requireLabel: true);
        if (options.ValidationData is { } validationData)
            CheckColumns(validationData.Schema, layout, networkInput, requireLabel: true);
        options.Validate(layout);
        if (start is not null)
        {
            start.CheckData(layout, nameof(options.Layout));
            if (options.PretrainingEpochs > 0)
                throw new ArgumentException("Fine-tuning starts from trained weights, which pre-training would overwrite; set PretrainingEpochs to 0.",
                    nameof(options.PretrainingEpochs));
        }
        TorchRuntime.EnsureInitialized();

        var host = ((IHostEnvironment)mlContext).Register("KeypointCnnTrainer");
        // A resumed run without an explicit seed continues with the seed of the run it resumes.
        int seed = options.Seed
            ?? (options.ResumeFromCheckpoint && options.CheckpointFolder is { } folder ? TrainingCheckpoint.TryReadSeed(folder) : null)
            ?? host.Rand.Next();
        var scaling = new CoordinateScaling(layout);
        bool dropIncomplete = options.MissingLabels == MissingLabelPolicy.DropRows;
        var all = TrainingData.Read(input, options.FeatureColumnName, options.LabelColumnName, networkInput,
            scaling, options.PixelOffset, options.PixelScale, dropIncomplete);
        var (train, validation) = Split(all, scaling, networkInput, seed);
        if (train.Rows == 0)
            throw new InvalidOperationException(dropIncomplete
                ? $"No training row has every keypoint of column '{options.LabelColumnName}'; use MissingLabelPolicy.Mask to train on partial labels."
                : "The training data has no rows.");
        CheckNotNormalizedTwice(train);
        if (options.ResumeFromCheckpoint && options.CheckpointFolder is { } checkpoints)
            TrainingCheckpoint.CheckResumable(checkpoints, TrainingLoop.Fingerprint(options, train, seed, start?.Weights.ContentHash));

        using var channel = host.Start("Training");
        var device = TorchRuntime.SelectDevice(mlContext.GpuDeviceId, mlContext.FallbackToCpu);
        channel.Info(MessageSensitivity.None, $"{(start is null ? "Training" : "Fine-tuning")} {options.Architecture} on {train.Rows} rows ({validation?.Rows ?? 0} validation) on {device.type}, seed {seed}.");
        if (device.type == DeviceType.CPU && MallocArenaAdvice.ForCurrentThread() is { } advice)
            channel.Warning(MessageSensitivity.None, advice);
        TorchSharp.torch.manual_seed(seed);
        var network = NetworkFactory.Create(options.Architecture, networkInput, layout.CoordinateCount, options.FrozenStages);
        KeypointEnsemble? ensemble = null;
        try
        {
            start?.Weights.CopyTo(network);
            network.to(device);
            if (DenoisingAutoencoderPretrainer.IsWanted(options))
                new DenoisingAutoencoderPretrainer(network, options, device, report => ReportPretraining(channel, report)).Run(train, seed, budget.Pretraining);
            void Report(EpochReport report)
            {
                var stage = report.Specialist is { } group ? $"specialist {group}, " : "";
                channel.Info(MessageSensitivity.None, $"{stage}epoch {report.Epoch}: train loss {report.TrainLoss:F6}, validation RMSE {report.ValidationRmse:F3} px, " +
                    $"{report.ImagesPerSecond:F0} images/s");
                options.Progress?.Report(report);
            }
            var loop = new TrainingLoop(network, layout, scaling, options, device, Report, budget, budget.BaseNetwork,
                start?.FlipAxisOffset ?? 0, startedFrom: start?.Weights.ContentHash);
            var history = loop.Run(train, validation, seed);
            var specialistHistories = new Dictionary<string, IReadOnlyList<EpochReport>>();
            if (options.Specialists)
            {
                var kept = (options.RestoreBestWeights ? history.LastOrDefault(h => h.IsBest) : null) ?? history.LastOrDefault();
                double baseLearningRate = kept?.LearningRate ?? options.LearningRate ?? OptimizerSchedule.DefaultLearningRate(options.Optimizer);
                // The median base epoch: a busy machine makes single epochs several times longer than usual.
                var baseEpochs = history.Select((h, i) => h.Elapsed - (i > 0 ? history[i - 1].Elapsed : TimeSpan.Zero)).Order().ToArray();
                var baseEpoch = baseEpochs.Length > 0 ? baseEpochs[baseEpochs.Length / 2] : TimeSpan.Zero;
                (ensemble, specialistHistories) = new SpecialistTrainer(layout, options, device, Report, budget)
                    .Train(network, train, validation, seed, loop.FlipAxisOffset, baseLearningRate, baseEpoch);
            }
            else
            {
                network.to(TorchSharp.torch.CPU);
                ensemble = KeypointEnsemble.Single(network);
            }
            ensemble.Eval();
            return new KeypointTrainingResult(ensemble, layout, history, specialistHistories, loop.FlipAxisOffset,
                FaceFraming.Measure(layout, all.PixelLabels(scaling)));
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

    private void ReportPretraining(IChannel channel, PretrainingReport report)
    {
        channel.Info(MessageSensitivity.None, $"pretraining epoch {report.Epoch}: reconstruction MSE {report.ReconstructionMse:F6}");
        options.PretrainingProgress?.Report(report);
    }

    private (TrainingData Train, TrainingData? Validation) Split(TrainingData all, CoordinateScaling scaling, NetworkInput input, int seed)
    {
        if (options.ValidationData is { } validationData)
        {
            var validation = TrainingData.Read(validationData, options.FeatureColumnName, options.LabelColumnName, input,
                scaling, options.PixelOffset, options.PixelScale, dropIncomplete: false);
            return (all, validation);
        }
        int held = (int)Math.Round(all.Rows * options.ValidationFraction);
        if (held == 0)
            return (all, null);
        var order = Enumerable.Range(0, all.Rows).ToArray();
        new Random(seed).Shuffle(order);
        return (all.Subset(order[held..]), all.Subset(order[..held]));
    }

    private void CheckNotNormalizedTwice(TrainingData train)
    {
        // Grey levels 0-255 scaled by 1/255 reach ~1; a max of at most 1/255 means the column was
        // already in [0, 1] (for example from NormalizePixels) and has been scaled a second time.
        if (options.PixelScale < 0.1f && train.MaxPixel <= 1.5f / 255f)
            throw new InvalidOperationException(
                $"Column '{options.FeatureColumnName}' looks normalized already (values at most 1 before scaling by {options.PixelScale}). " +
                "Set Options.PixelScale = 1 and PixelOffset = 0 when NormalizePixels runs before the trainer.");
    }

    private void CheckColumns(DataViewSchema schema, KeypointLayout layout, NetworkInput input, bool requireLabel)
    {
        SchemaChecks.RequireSingleVector(schema, options.FeatureColumnName, "feature", input.Size,
            $"{input.Channels} x {input.Height} x {input.Width} pixels");
        if (requireLabel)
            SchemaChecks.RequireSingleVector(schema, options.LabelColumnName, "label", layout.CoordinateCount,
                $"x and y of the {layout.KeypointCount} keypoints of layout '{layout.Name}'");
    }


}
