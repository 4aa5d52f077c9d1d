using Keypoints.MLNet.Data;
using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Trainers;

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
        options.Validate();
        this.mlContext = mlContext;
        this.options = options;
    }

    /// <summary>Settings of <see cref="KeypointCnnTrainer"/>; every default is the recommended starting point (see
    /// <see cref="KeypointTrainingOptions"/> for each setting).</summary>
    public sealed class Options : KeypointTrainingOptions
    {
    }

    /// <summary>Checks the input columns and describes the output: the input columns plus
    /// <see cref="KeypointTrainingOptions.PredictedColumnName"/>, a vector of <c>2K</c> Single.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.RequireSingleVector(inputSchema, options.FeatureColumnName, "feature");
        var layout = options.Layout ?? KeypointLayout.Kaggle15;
        var probe = SchemaProbeGraph.Create(options.FeatureColumnName, options.Channels * layout.ImageWidth * layout.ImageHeight,
            options.PredictedColumnName, layout.CoordinateCount);
        using var stream = new MemoryStream(probe, writable: false);
        return mlContext.Transforms.ApplyOnnxModel(options.PredictedColumnName, options.FeatureColumnName, stream)
            .GetOutputSchema(inputSchema);
    }

    /// <summary>Trains the network on <paramref name="input"/> and returns the fitted model.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type or size.</exception>
    /// <exception cref="InvalidOperationException">No training rows, or pixels that look normalized twice.</exception>
    public KeypointCnnModel Fit(IDataView input) => Fit(input, imageFiles: null);

    /// <summary><see cref="Fit(IDataView)"/>, recording <paramref name="imageFiles"/> in the model's metadata when the
    /// network is part of an image-file model.</summary>
    internal KeypointCnnModel Fit(IDataView input, KeypointImageFilesMetadata? imageFiles)
    {
        var (model, training) = FitKeepingNetworks(input, imageFiles);
        training.Dispose();
        return model;
    }

    /// <summary>Trains and returns the model together with the engine's result (the TorchSharp networks), for tests that
    /// compare the networks with the graph; the caller disposes both.</summary>
    internal (KeypointCnnModel Model, KeypointTrainingResult Training) FitKeepingNetworks(IDataView input,
        KeypointImageFilesMetadata? imageFiles = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var training = new KeypointTrainingEngine(mlContext, options).Train(input);
        try
        {
            var metadata = new KeypointModelMetadata
            {
                Layout = training.Layout,
                InputColumnName = options.FeatureColumnName,
                OutputColumnName = options.PredictedColumnName,
                Channels = training.Ensemble.Input.Channels,
                PixelOffset = options.PixelOffset,
                PixelScale = options.PixelScale,
                Framing = training.Framing,
                TestTimeFlip = options.TestTimeFlip,
                FlipAxisOffset = training.FlipAxisOffset,
                History = training.History,
                SpecialistHistories = training.SpecialistHistories,
                ImageFiles = imageFiles,
                Networks = training.Ensemble.Members.Select(m => m.Name).ToArray(),
            };
            var model = new KeypointCnnModel(mlContext, KeypointGraphExporter.Export(training.Ensemble, metadata), metadata);
            return (model, training);
        }
        catch
        {
            training.Dispose();
            throw;
        }
    }
}
