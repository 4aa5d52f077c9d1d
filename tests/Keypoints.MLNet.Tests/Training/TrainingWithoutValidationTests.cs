using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>Early stopping counts only validated epochs: without validation rows, training runs MaxEpochs and keeps the
/// last epoch.</summary>
[Collection(GlobalRandomGenerator.Name)]
public sealed class TrainingWithoutValidationTests
{
    [Fact]
    public void Fit_WithoutValidation_TrainsMaxEpochs_PastThePatience()
    {
        var ml = new MLContext();
        var options = new KeypointCnnTrainer.Options
        {
            Architecture = KeypointArchitecture.Mlp,
            ValidationFraction = 0,
            Seed = 11,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule =
            {
                MaxEpochs = 35,
                EarlyStoppingPatience = 30,
                BatchSize = 32,
            },
            TimeBudget = { MaxTrainingTime = null },
        };
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(DrawnFaces.Training(ml, 32));

        Assert.Equal(35, model.History.Count);
        Assert.All(model.History, h => Assert.True(double.IsNaN(h.ValidationRmse) && !h.IsBest));
    }

    [Fact]
    public void Fit_WithoutValidation_KeepsTheLastEpochsWeights()
    {
        var ml = new MLContext();
        var data = DrawnFaces.Training(ml, 32);
        KeypointCnnTrainer.Options Run(int epochs) =>
            new()
            {
                Architecture = KeypointArchitecture.Mlp,
                ValidationFraction = 0,
                Seed = 11,
                Augmentation = AugmentationOptions.None,
                TestTimeFlip = false,
                Schedule =
                {
                    MaxEpochs = epochs,
                    EarlyStoppingPatience = 1,
                    BatchSize = 32,
                },
                TimeBudget = { MaxTrainingTime = null },
            };
        using var three = ml.Keypoints.Trainers.Cnn(Run(3)).Fit(data);
        using var two = ml.Keypoints.Trainers.Cnn(Run(2)).Fit(data);

        Assert.Equal(3, three.History.Count);
        float[][] predictions = Scoring.Columns.Vectors(three.Transform(data), "PredictedKeypoints");
        Assert.NotEqual(Scoring.Columns.Vectors(two.Transform(data), "PredictedKeypoints"), predictions);
    }
}
