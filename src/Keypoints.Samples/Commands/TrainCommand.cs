using System.Globalization;
using Keypoints.MLNet;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.Samples.Commands;

/// <summary><c>train</c>: fits a keypoint CNN on a Kaggle-layout CSV and saves an ML.NET model zip.</summary>
internal static class TrainCommand
{
    public static int Run(CommandLine options)
    {
        var sharedFkd = DataLocations.FindSharedFkd();
        var dataPath = options.String("data");
        var validationPath = options.String("validation");
        if (dataPath is null)
        {
            if (sharedFkd is null)
                throw new UsageException(DataLocations.DownloadHint);
            dataPath = Path.Combine(sharedFkd, "training.csv");
            validationPath ??= Path.Combine(sharedFkd, "validation.csv");
        }
        var trainerOptions = new KeypointCnnTrainer.Options();
        trainerOptions.Architecture = ParseArchitecture(options.String("arch") ?? "convnet3");
        trainerOptions.Optimizer = ParseOptimizer(options.String("optimizer") ?? "adam");
        trainerOptions.MaxEpochs = options.Int("epochs") ?? trainerOptions.MaxEpochs;
        trainerOptions.BatchSize = options.Int("batch-size") ?? trainerOptions.BatchSize;
        trainerOptions.Seed = options.Int("seed");
        trainerOptions.MaxTrainingTime = options.Double("max-minutes") is double minutes ? TimeSpan.FromMinutes(minutes) : null;
        var output = options.String("out") ?? "model.zip";
        options.RejectUnknown();

        var ml = new MLContext(trainerOptions.Seed);
        var data = ml.Data.Keypoints.LoadFkdCsv(dataPath);
        if (validationPath is not null)
            trainerOptions.ValidationData = ml.Data.Keypoints.LoadFkdCsv(validationPath);
        trainerOptions.Progress = new ConsoleProgress(trainerOptions);
        Console.WriteLine($"training {trainerOptions.Architecture} with {trainerOptions.Optimizer} on {dataPath}" +
            (validationPath is null ? $" (validating on {trainerOptions.ValidationFraction:P0} of it)" : $", validating on {validationPath}"));

        using var model = ml.Keypoints.Trainers.Cnn(trainerOptions).Fit(data);
        SaveAtomically(ml, model, data.Schema, output);
        var best = model.History.Where(h => !double.IsNaN(h.ValidationRmse)).MinBy(h => h.ValidationRmse);
        Console.WriteLine(best is null
            ? $"saved {output} after {model.History.Count} epochs"
            : string.Create(CultureInfo.InvariantCulture,
                $"saved {output}: best validation RMSE {best.ValidationRmse:F3} px at epoch {best.Epoch} of {model.History.Count}, {model.History[^1].Elapsed.TotalMinutes:F1} min"));
        return 0;
    }

    private static void SaveAtomically(MLContext ml, ITransformer model, DataViewSchema schema, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        ml.Model.Save(model, schema, temp);
        File.Move(temp, full, overwrite: true);
    }

    private static KeypointArchitecture ParseArchitecture(string name) => name switch
    {
        "mlp" => KeypointArchitecture.Mlp,
        "convnet3" => KeypointArchitecture.ConvNet3,
        "nouri-dropout" => KeypointArchitecture.NouriDropout,
        "conv2" => KeypointArchitecture.Conv2,
        "conv6" => KeypointArchitecture.Conv6,
        "resnet18" => KeypointArchitecture.ResNet18,
        _ => throw new UsageException($"Unknown --arch '{name}'; use mlp, convnet3, nouri-dropout, conv2, conv6 or resnet18."),
    };

    private static KeypointOptimizer ParseOptimizer(string name) => name switch
    {
        "adam" => KeypointOptimizer.Adam,
        "nesterov" => KeypointOptimizer.Nesterov,
        _ => throw new UsageException($"Unknown --optimizer '{name}'; use adam or nesterov."),
    };

    /// <summary>Prints one line per epoch: loss, validation RMSE, speed and the time left.</summary>
    private sealed class ConsoleProgress(KeypointCnnTrainer.Options options) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            double perEpoch = value.Elapsed.TotalSeconds / value.Epoch;
            double left = (options.MaxEpochs - value.Epoch) * perEpoch;
            if (options.MaxTrainingTime is { } budget)
                left = Math.Min(left, Math.Max(0, (budget - value.Elapsed).TotalSeconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {value.Epoch,4}  train loss {value.TrainLoss:F6}  validation RMSE {value.ValidationRmse:F3} px  " +
                $"{value.ImagesPerSecond,6:F0} images/s  ETA {TimeSpan.FromSeconds(left):hh\\:mm\\:ss}{(value.IsBest ? "  *" : "")}"));
        }
    }
}
