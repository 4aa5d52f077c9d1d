using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Microsoft.ML;

namespace Keypoints.MLNet;

/// <summary>Keypoint trainers, reached as <c>mlContext.Keypoints.Trainers</c>.</summary>
public sealed class KeypointTrainersCatalog
{
    private readonly MLContext mlContext;

    internal KeypointTrainersCatalog(MLContext mlContext) => this.mlContext = mlContext;

    /// <summary>A CNN keypoint trainer with the given options (checked when Fit starts).</summary>
    public KeypointCnnTrainer Cnn(KeypointCnnTrainer.Options options) => new(mlContext, options);

    /// <summary>A CNN keypoint trainer on image files of any size (loaded, resized to the network's input, predictions
    /// mapped back to each original image), with the given options.</summary>
    public KeypointImageTrainer CnnOnImages(KeypointImageTrainer.Options options) => new(mlContext, options);

    /// <summary>A CNN keypoint trainer on image files with default options except those given.</summary>
    /// <param name="inputSize">Width and height in pixels of the network's input.</param>
    /// <param name="channels">1 for grey, 3 for color.</param>
    /// <param name="maxEpochs">Upper limit on epochs.</param>
    /// <param name="validationData">Validation rows (image paths and keypoints); when null, 20% of the training rows
    /// are held out.</param>
    public KeypointImageTrainer CnnOnImages(
        int inputSize = 96,
        int channels = 1,
        int maxEpochs = 150,
        IDataView? validationData = null
    ) =>
        new(
            mlContext,
            new KeypointImageTrainer.Options
            {
                InputWidth = inputSize,
                InputHeight = inputSize,
                Network = new KeypointCnnTrainer.Options
                {
                    Channels = channels,
                    ValidationData = validationData,
                    Schedule = { MaxEpochs = maxEpochs },
                },
            }
        );

    /// <summary>A CNN keypoint trainer with default options except those given.</summary>
    /// <param name="featureColumnName">Column of pixel values (grey levels 0-255).</param>
    /// <param name="labelColumnName">Column of pixel coordinates, NaN where missing.</param>
    /// <param name="architecture">The network.</param>
    /// <param name="maxEpochs">Upper limit on epochs.</param>
    /// <param name="validationData">Validation rows; when null, 20% of the training rows are held out.</param>
    public KeypointCnnTrainer Cnn(
        string featureColumnName = "Image",
        string labelColumnName = "Keypoints",
        KeypointArchitecture architecture = KeypointArchitecture.ResNet18Integral,
        int maxEpochs = 150,
        IDataView? validationData = null
    ) =>
        new(
            mlContext,
            new KeypointCnnTrainer.Options
            {
                FeatureColumnName = featureColumnName,
                LabelColumnName = labelColumnName,
                Architecture = architecture,
                ValidationData = validationData,
                Schedule = { MaxEpochs = maxEpochs },
            }
        );
}
