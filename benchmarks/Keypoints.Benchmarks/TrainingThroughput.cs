using Keypoints.MLNet;
using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.Benchmarks;

/// <summary>
/// Training images per second of one network through the library's <c>Fit</c> and through <see cref="PlainTorchLoop"/>,
/// on the same rows, batch size and seed. Every run starts a fresh network and its first epoch, which pays one-off
/// costs (allocator warm-up, kernel selection), is left out; the runs alternate, and each side reports its best
/// remaining epoch, as other processes on a shared machine only ever slow an epoch down.
/// </summary>
internal static class TrainingThroughput
{
    /// <summary>Images per mini-batch on both sides, the library's default.</summary>
    public const int BatchSize = 128;

    /// <summary>Measures <paramref name="architecture"/> on <paramref name="rows"/> (Kaggle layout, pixels 0-255) for
    /// <paramref name="epochs"/> epochs per run, <paramref name="rounds"/> runs per side.</summary>
    public static (double Library, double Plain) Measure(
        MLContext ml,
        IDataView rows,
        KeypointArchitecture architecture,
        int epochs,
        int rounds
    )
    {
        var layout = KeypointLayout.Kaggle15;
        using var tensors = TrainingData
            .Read(
                rows,
                new KeypointTrainingOptions(),
                new NetworkInput(1, layout.ImageHeight, layout.ImageWidth),
                new CoordinateScaling(layout),
                dropIncomplete: false
            )
            .ToTensors(TorchSharp.torch.CPU);
        var (images, targets, mask) = (tensors.Images, tensors.Targets, tensors.Mask);
        double library = 0,
            plain = 0;
        for (int round = 0; round < rounds; round++)
        {
            var options = new KeypointCnnTrainer.Options
            {
                Architecture = architecture,
                // The plain loop's loss: the same work per image on both sides.
                Loss = KeypointLoss.MeanSquaredError,
                ValidationFraction = 0,
                Seed = 1,
                Augmentation = AugmentationOptions.None,
                TestTimeFlip = false,
                Schedule = { BatchSize = BatchSize, MaxEpochs = epochs },
                TimeBudget = { MaxTrainingTime = null },
            };
            using (var model = ml.Keypoints.Trainers.Cnn(options).Fit(rows))
                library = Math.Max(library, BestAfterWarmUp(model.History.Select(h => h.ImagesPerSecond)));
            plain = Math.Max(
                plain,
                BestAfterWarmUp(
                    PlainTorchLoop.ImagesPerSecond(architecture, images, targets, mask, BatchSize, epochs, 1)
                )
            );
        }
        return (library, plain);
    }

    private static double BestAfterWarmUp(IEnumerable<double> epochRates) => epochRates.Skip(1).Max();
}
