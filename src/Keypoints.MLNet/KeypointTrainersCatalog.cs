using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet;

/// <summary>Keypoint trainers, reached as <c>mlContext.Keypoints.Trainers</c>.</summary>
public sealed class KeypointTrainersCatalog
{
    private readonly MLContext mlContext;

    internal KeypointTrainersCatalog(MLContext mlContext) => this.mlContext = mlContext;

    /// <summary>A CNN keypoint trainer with the given options.</summary>
    public KeypointCnnTrainer Cnn(KeypointCnnTrainer.Options options) => new(mlContext, options);

    /// <summary>A CNN keypoint trainer with default options except those given.</summary>
    /// <param name="featureColumnName">Column of pixel values (grey levels 0-255).</param>
    /// <param name="labelColumnName">Column of pixel coordinates, NaN where missing.</param>
    /// <param name="architecture">The network.</param>
    /// <param name="maxEpochs">Upper limit on epochs.</param>
    /// <param name="validationData">Validation rows; when null, 20% of the training rows are held out.</param>
    public KeypointCnnTrainer Cnn(string featureColumnName = "Image", string labelColumnName = "Keypoints",
        KeypointArchitecture architecture = KeypointArchitecture.ConvNet3, int maxEpochs = 150, IDataView? validationData = null) =>
        new(mlContext, new KeypointCnnTrainer.Options
        {
            FeatureColumnName = featureColumnName,
            LabelColumnName = labelColumnName,
            Architecture = architecture,
            MaxEpochs = maxEpochs,
            ValidationData = validationData,
        });
}
