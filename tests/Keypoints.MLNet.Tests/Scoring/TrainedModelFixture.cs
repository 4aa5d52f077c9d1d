using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary>A ConvNet3 trained briefly on real faces, shared by the scoring tests of one class.</summary>
public sealed class TrainedModelFixture : IDisposable
{
    public TrainedModelFixture()
    {
        Ml = new MLContext(seed: 3);
        Training = DrawnFaces.Training(Ml, 256);
        Validation = DrawnFaces.Validation(Ml, 64);
        (Model, Networks) = Ml
            .Keypoints.Trainers.Cnn(
                new KeypointCnnTrainer.Options
                {
                    Architecture = KeypointArchitecture.ConvNet3,
                    Seed = 3,
                    ValidationData = Validation,
                    Augmentation = AugmentationOptions.None,
                    TestTimeFlip = false,
                    Schedule = { MaxEpochs = 2 },
                    TimeBudget = { MaxTrainingTime = null },
                }
            )
            .FitKeepingNetworks(Training);
    }

    public MLContext Ml { get; }

    public IDataView Training { get; }

    public IDataView Validation { get; }

    public KeypointCnnModel Model { get; }

    /// <summary>The TorchSharp networks the model's graph was exported from (the model itself holds none).</summary>
    internal KeypointTrainingResult Networks { get; }

    public void Dispose()
    {
        Model.Dispose();
        Networks.Dispose();
    }
}
