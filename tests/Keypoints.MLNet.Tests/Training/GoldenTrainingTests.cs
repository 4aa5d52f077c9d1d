using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>A small fixed run (synthetic faces, seed 7, flips with axis calibration, default augmentation, test-time
/// flip, specialists) gives, to 1e-9 relative, the per-epoch losses, validation RMSEs and predictions recorded before
/// the training code was restructured: a refactoring that changes any of them changed behaviour.</summary>
[Collection(GlobalRandomGenerator.Name)]
public sealed class GoldenTrainingTests : IDisposable
{
    private const double Tolerance = 1e-9;

    private static readonly double[] TrainLoss = [0.11219217348843813, 0.030955909751355648, 0.026307517662644386];
    private static readonly double[] ValidationRmse = [2.366500547784625, 1.3115924906973377, 1.7107178955970421];

    /// <summary>Each specialist's (train loss, validation RMSE) per epoch.</summary>
    private static readonly Dictionary<string, (double Loss, double Rmse)[]> Specialists = new()
    {
        ["eye_centers"] = [(0.03940295265056193, 2.4252397032048814), (0.03725290112197399, 2.2337602245322374)],
        ["nose_tip"] = [(0.033486553467810154, 2.554950541137637), (0.02497724164277315, 1.9557232067222214)],
        ["mouth_corners_top_lip"] =
        [
            (0.04606733424589038, 2.819655069669704),
            (0.05761480424553156, 2.2252697498950944),
        ],
        ["bottom_lip"] = [(0.059448471292853355, 3.132186662245733), (0.061258078552782536, 1.1109217217420762)],
        ["eye_corners"] = [(0.028036496601998806, 2.1804375856186864), (0.0280736587010324, 1.4266305283993308)],
        ["eyebrows"] = [(0.03522414853796363, 2.1526388991758356), (0.031842507887631655, 1.6428702355883922)],
    };

    private const double FlipAxisOffset = 0.5226780056953431;
    private const double PredictionSum = 11609.32230424881;
    private const double PredictionSquareSum = 211088.24926863902;
    private static readonly float[] FirstPredictions = [21.729034f, 13.328226f, 10.3094845f, 13.321379f];

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void FixedRun_GivesTheRecordedLossesRmsesAndPredictions()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.Keypoints.LoadFkdCsv(
            SyntheticFaces.WriteKaggleCsv(folder, "train.csv", 32, 64, seed: 11),
            32,
            32
        );
        var validation = ml.Data.Keypoints.LoadFkdCsv(
            SyntheticFaces.WriteKaggleCsv(folder, "validation.csv", 32, 24, seed: 12),
            32,
            32
        );

        using var model = ml.Keypoints.Trainers.Cnn(Options(validation)).Fit(train);

        AssertClose(TrainLoss, model.History.Select(h => h.TrainLoss));
        AssertClose(ValidationRmse, model.History.Select(h => h.ValidationRmse));
        Assert.Equal(Specialists.Keys.Order(), model.SpecialistHistories.Keys.Order());
        foreach (var (group, expected) in Specialists)
        {
            AssertClose(expected.Select(e => e.Loss), model.SpecialistHistories[group].Select(h => h.TrainLoss));
            AssertClose(expected.Select(e => e.Rmse), model.SpecialistHistories[group].Select(h => h.ValidationRmse));
        }
        AssertClose([FlipAxisOffset], [model.FlipAxisOffset]);
        float[] predictions = Columns
            .Vectors(model.Transform(validation), "PredictedKeypoints")
            .SelectMany(v => v)
            .ToArray();
        AssertClose(
            [PredictionSum, PredictionSquareSum],
            [predictions.Sum(v => (double)v), predictions.Sum(v => (double)v * v)]
        );
        Assert.Equal(FirstPredictions, predictions.Take(FirstPredictions.Length));
    }

    /// <summary>Every setting the run depends on, said explicitly, so a change of the options' defaults leaves it
    /// alone.</summary>
    private static KeypointCnnTrainer.Options Options(IDataView validation) =>
        new()
        {
            Architecture = KeypointArchitecture.ConvNet3,
            Loss = KeypointLoss.MeanSquaredError,
            Seed = 7,
            ValidationData = validation,
            FlipAugmentation = true,
            CalibrateFlipAxis = true,
            Augmentation = AugmentationOptions.Default,
            TestTimeFlip = true,
            Schedule =
            {
                MaxEpochs = 3,
                BatchSize = 16,
                EarlyStoppingPatience = 0,
                RestoreBestWeights = true,
            },
            TimeBudget = { MaxTrainingTime = null },
            Specialists = { Enabled = true, MaxEpochs = 2 },
        };

    private static void AssertClose(IEnumerable<double> expected, IEnumerable<double> actual)
    {
        var (e, a) = (expected.ToArray(), actual.ToArray());
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.True(
                Math.Abs(e[i] - a[i]) <= Tolerance * Math.Abs(e[i]),
                $"value {i}: expected {e[i]:R}, got {a[i]:R}"
            );
        }
    }
}
