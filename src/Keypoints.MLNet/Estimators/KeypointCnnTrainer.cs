using Keypoints.MLNet.Data;
using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Estimators;

/// <summary>
/// Trains a convolutional network that predicts keypoint coordinates from face images, on TorchSharp
/// (CUDA when the app references a CUDA backend and <see cref="MLContext.GpuDeviceId"/> asks for it, else the CPU),
/// and returns a <see cref="KeypointCnnModel"/> that scores through ML.NET's ONNX transformer.
/// </summary>
/// <remarks>
/// Input: a feature column of <c>C * H * W</c> pixel values (grey levels 0-255 by default) and a
/// label column of <c>2K</c> pixel coordinates with NaN where a keypoint is missing. Output: a column
/// of <c>2K</c> predicted pixel coordinates. Flips and the other augmentations happen only while training.
/// </remarks>
public sealed class KeypointCnnTrainer : IEstimator<KeypointCnnModel>
{
    private readonly MLContext mlContext;
    private readonly Options options;

    /// <summary>Creates the trainer; prefer <c>mlContext.Keypoints.Trainers.Cnn(...)</c>.</summary>
    public KeypointCnnTrainer(MLContext mlContext, Options options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        this.mlContext = mlContext;
        this.options = options;
    }

    /// <summary>Settings of <see cref="KeypointCnnTrainer"/>: those of <see cref="KeypointTrainingOptions"/>, whose
    /// defaults are the recommended recipe, and the model to fine-tune. They are checked when <see
    /// cref="Fit(IDataView)"/> starts.</summary>
    public sealed class Options : KeypointTrainingOptions
    {
        /// <summary>A trained model (fitted, or loaded with <c>mlContext.Keypoints.LoadModel</c>) to fine-tune: the
        /// base network (never a specialist) starts from its weights, and the data must have its layout (the same
        /// keypoint names in the same order, the same image size). The model decides <see
        /// cref="KeypointTrainingOptions.Architecture"/> (the one whose weights its graph holds; the options' value
        /// only breaks a tie), <see cref="KeypointTrainingOptions.Channels"/>,
        /// <see cref="KeypointTrainingOptions.PixelOffset"/> and <see cref="KeypointTrainingOptions.PixelScale"/>;
        /// flips start from its mirror axis; <see cref="KeypointTrainingOptions.FrozenStages"/> keeps its weights in
        /// the frozen stages.
        /// <see cref="ScheduleOptions.LearningRate"/> defaults to a tenth of the optimizer's (0.0001 for Adam);
        /// <see cref="PretrainingOptions.Epochs"/> must be 0; <see cref="KeypointTrainingOptions.TestTimeFlip"/> stays
        /// the options' own (set it to <c>model.Metadata.TestTimeFlip</c> to keep the model's). Default <see
        /// langword="null"/>: train from scratch. See <c>docs/decisions.md#fine-tuning-start</c>.</summary>
        public IKeypointModel? StartFrom { get; set; }
    }

    /// <summary>Checks the input columns and describes the output: the input columns plus
    /// <see cref="KeypointTrainingOptions.PredictedColumnName"/>, a vector of <c>2K</c> Single.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.RequireSingleVector(inputSchema, options.FeatureColumnName, "feature");
        // A SchemaShape carries no vector sizes, so any layout gives the probe graph the right output type.
        var layout = options.Layout ?? KeypointLayout.Kaggle15;
        byte[] probe = SchemaProbeGraph.Create(
            options.FeatureColumnName,
            options.Channels * layout.ImageWidth * layout.ImageHeight,
            options.PredictedColumnName,
            layout.CoordinateCount
        );
        using var stream = new MemoryStream(probe, writable: false);
        return mlContext
            .Transforms.ApplyOnnxModel(options.PredictedColumnName, options.FeatureColumnName, stream)
            .GetOutputSchema(inputSchema);
    }

    /// <summary>Trains the network on <paramref name="input"/> within <see cref="TimeBudgetOptions.MaxTrainingTime"/>
    /// and returns the fitted model. Every check of the options, the columns, the layout and the checkpoint folder runs
    /// before the first epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type or size.</exception>
    /// <exception cref="ArgumentException">No layout is given and none can be found (the message names the label
    /// column), specialists on a layout without groups, or a checkpoint folder that cannot be written.</exception>
    /// <exception cref="InvalidOperationException">No training rows, pixels that look normalized twice, or a checkpoint
    /// of another run.</exception>
    /// <exception cref="InvalidDataException">With <see cref="Options.StartFrom"/>: the model's graph holds no base
    /// network whose weights fit an architecture (the message names the first weight that does not fit each
    /// one).</exception>
    public KeypointCnnModel Fit(IDataView input) => Fit(input, imageFiles: null);

    /// <summary><see cref="Fit(IDataView)"/>, recording <paramref name="imageFiles"/> in the model's metadata when the
    /// network is part of an image-file model.</summary>
    internal KeypointCnnModel Fit(IDataView input, KeypointImageFilesMetadata? imageFiles)
    {
        var (model, training) = FitKeepingNetworks(input, imageFiles);
        training.Dispose();
        return model;
    }

    /// <summary>Trains and returns the model together with the engine's result (the TorchSharp networks), for tests
    /// that compare the networks with the graph; the caller disposes both.</summary>
    internal (KeypointCnnModel Model, KeypointTrainingResult Training) FitKeepingNetworks(
        IDataView input,
        KeypointImageFilesMetadata? imageFiles = null
    )
    {
        ArgumentNullException.ThrowIfNull(input);
        var (settings, start) = StartingPoint();
        var training = new KeypointTrainingEngine(mlContext, settings, start).Train(input);
        try
        {
            var metadata = new KeypointModelMetadata
            {
                Layout = training.Layout,
                InputColumnName = settings.FeatureColumnName,
                OutputColumnName = settings.PredictedColumnName,
                Channels = training.Ensemble.Input.Channels,
                PixelOffset = settings.PixelOffset,
                PixelScale = settings.PixelScale,
                Framing = training.Framing,
                TestTimeFlip = settings.TestTimeFlip,
                FlipAxisOffset = training.FlipAxisOffset,
                History = training.History,
                SpecialistHistories = training.SpecialistHistories,
                ImageFiles = imageFiles,
                Terms = settings.Terms,
                Networks = training.Ensemble.Members.Select(m => m.Name).ToArray(),
            };
            var model = new KeypointCnnModel(
                mlContext,
                KeypointGraphExporter.Export(training.Ensemble, metadata),
                metadata
            );
            return (model, training);
        }
        catch
        {
            training.Dispose();
            throw;
        }
    }

    /// <summary>The options the engine trains with and, with <see cref="Options.StartFrom"/>, the weights it starts
    /// from: the model's architecture, channels and pixel scaling replace the options', and the learning rate defaults
    /// to a tenth.</summary>
    private (KeypointTrainingOptions Options, FineTuningStart? Start) StartingPoint()
    {
        if (options.StartFrom is not { } model)
            return (options, null);
        var network = model switch
        {
            KeypointCnnModel cnn => cnn,
            KeypointImageModel images => images.Network,
            _ => throw new ArgumentException(
                $"Fine-tuning needs a model of this library; got a {model.GetType().Name}.",
                nameof(Options.StartFrom)
            ),
        };
        var metadata = network.Metadata;
        // The exporter writes a lone base network without a scope, next to specialists under its member name, and the
        // test-time flip wraps either under its own scope (see KeypointEnsemble.ExportOnnx and TestTimeFlipGraph).
        const string baseMember = "base";
        if (metadata.Networks.Count > 1 && !metadata.Networks.Contains(baseMember))
        {
            throw new ArgumentException(
                $"The model's specialists ({string.Join(", ", metadata.Networks)}) cover every keypoint, so its graph "
                    + $"keeps no base network "
                    + "to fine-tune; start from a model trained without specialists.",
                nameof(Options.StartFrom)
            );
        }

        string prefix =
            (metadata.TestTimeFlip ? TestTimeFlipGraph.Scope + "/" : "")
            + (metadata.Networks.Count > 1 ? baseMember + "/" : "");
        var weights = new NetworkWeights(
            network.OnnxGraph.ToArray(),
            prefix,
            $"the model ({metadata.Layout.Name}, {metadata.Layout.ImageWidth} x {metadata.Layout.ImageHeight})"
        );
        var input = new NetworkInput(metadata.Channels, metadata.Layout.ImageHeight, metadata.Layout.ImageWidth);
        var tuning = options.Clone();
        tuning.Architecture = weights.FindArchitecture(input, metadata.Layout.CoordinateCount, options.Architecture);
        tuning.Channels = metadata.Channels;
        tuning.PixelOffset = metadata.PixelOffset;
        tuning.PixelScale = metadata.PixelScale;
        tuning.Schedule.LearningRate ??= FineTuningLearningRate(options.Schedule.Optimizer);
        tuning.Terms ??= metadata.Terms;
        return (tuning, new FineTuningStart(weights, metadata.Layout, metadata.FlipAxisOffset));
    }

    /// <summary>The default initial learning rate of fine-tuning: a tenth of <paramref name="optimizer"/>'s default
    /// from scratch.</summary>
    internal static double FineTuningLearningRate(KeypointOptimizer optimizer) =>
        OptimizerSchedule.DefaultLearningRate(optimizer) / 10;
}
