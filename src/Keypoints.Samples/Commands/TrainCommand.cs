using System.Globalization;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Trainers;
using Keypoints.MLNet;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.Samples.Commands;

/// <summary><c>train</c>: fits a keypoint CNN on a Kaggle-layout CSV or a CSV of image files and saves an ML.NET model zip.</summary>
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
        trainerOptions.WeightDecay = options.Double("weight-decay") ?? trainerOptions.WeightDecay;
        trainerOptions.LearningRate = options.Double("learning-rate");
        trainerOptions.LearningRateDecay = options.Double("lr-decay") ?? trainerOptions.LearningRateDecay;
        trainerOptions.EarlyStoppingPatience = options.Int("patience") ?? trainerOptions.EarlyStoppingPatience;
        trainerOptions.Augmentation = ParseAugmentation(options);
        trainerOptions.Specialists = options.Flag("specialists");
        trainerOptions.SpecialistMaxEpochs = options.Int("specialist-epochs") ?? trainerOptions.SpecialistMaxEpochs;
        trainerOptions.SpecialistMaxTrainingTime = options.Double("specialist-minutes") is double specialistMinutes
            ? TimeSpan.FromMinutes(specialistMinutes) : null;
        trainerOptions.SpecialistLearningRate = options.Double("specialist-learning-rate");
        trainerOptions.TestTimeFlip = options.Flag("tta");
        trainerOptions.FlipAugmentation = !options.Flag("no-flip");
        trainerOptions.PretrainingEpochs = options.Int("pretrain-epochs") ?? trainerOptions.PretrainingEpochs;
        trainerOptions.PretrainingNoise = options.Double("pretrain-noise") ?? trainerOptions.PretrainingNoise;
        var output = options.String("out") ?? "model.zip";
        trainerOptions.CheckpointFolder = options.String("checkpoints") ?? Path.GetFullPath(output) + ".checkpoints";
        trainerOptions.ResumeFromCheckpoint = options.Flag("resume");
        var inputSize = options.Int("input-size");
        bool color = options.Flag("color");
        options.RejectUnknown();

        var ml = new MLContext(trainerOptions.Seed);
        var data = KeypointDataFile.Load(ml, dataPath);
        var validation = validationPath is null ? null : KeypointDataFile.Load(ml, validationPath);
        if (validation is not null && validation.IsImageFiles != data.IsImageFiles)
            throw new UsageException($"'{dataPath}' and '{validationPath}' must both be Kaggle CSVs or both CSVs of image files.");
        if (!data.IsImageFiles && (inputSize is not null || color))
            throw new UsageException("Options --input-size and --color apply to CSVs of image files (first column 'image').");
        trainerOptions.ValidationData = validation?.Data;
        trainerOptions.Channels = color ? 3 : 1;
        trainerOptions.Progress = new ConsoleProgress(trainerOptions);
        trainerOptions.PretrainingProgress = new ConsolePretrainingProgress();
        if (trainerOptions.ResumeFromCheckpoint)
            Console.WriteLine($"resuming from the checkpoint in {trainerOptions.CheckpointFolder} when there is one");
        Console.WriteLine($"training {trainerOptions.Architecture} with {trainerOptions.Optimizer} on {dataPath}" +
            (trainerOptions.Augmentation.IsEnabled ? " with augmentation" : "") +
            (trainerOptions.Specialists ? ", then specialists" : "") +
            (trainerOptions.TestTimeFlip ? ", scoring with test-time flip" : "") +
            (trainerOptions.PretrainingEpochs > 0 ? $" after {trainerOptions.PretrainingEpochs} epochs of denoising-autoencoder pretraining" : "") +
            (validationPath is null ? $" (validating on {trainerOptions.ValidationFraction:P0} of it)" : $", validating on {validationPath}"));

        var (model, network) = Fit(ml, trainerOptions, data, inputSize ?? 96);
        using var disposeModel = (IDisposable)model;
        SaveAtomically(ml, model, data.Data.Schema, output);
        var best = network.History.Where(h => !double.IsNaN(h.ValidationRmse)).MinBy(h => h.ValidationRmse);
        Console.WriteLine(best is null
            ? $"saved {output} after {network.History.Count} epochs"
            : string.Create(CultureInfo.InvariantCulture,
                $"saved {output}: best validation RMSE {best.ValidationRmse:F3} px (network input frame) at epoch {best.Epoch} of {network.History.Count}, {network.History[^1].Elapsed.TotalMinutes:F1} min"));
        if (trainerOptions.FlipAugmentation && trainerOptions.CalibrateFlipAxis)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"the labels' mirror axis lies {network.FlipAxisOffset:+0.00;-0.00} px from the image's center line (flips and --tta mirror about it)"));
        foreach (var (group, history) in network.SpecialistHistories)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"specialist {group}: {history.Count} epochs, {(history.Count > 0 ? history[^1].Elapsed.TotalMinutes : 0):F1} min"));
        if (validation is not null)
        {
            PrintValidation(ml, model, validation, "validation of the saved model");
            // An image-file model chains the network with the image pipeline; only a bare network can be rebuilt without the flip.
            if (network.TestTimeFlip && !data.IsImageFiles)
            {
                using var withoutFlip = network.WithTestTimeFlip(false);
                PrintValidation(ml, withoutFlip, validation, "the same networks without test-time flip");
            }
        }
        return 0;
    }

    /// <summary>Trains on a Kaggle CSV, or on image files resized to <paramref name="inputSize"/> pixels square.</summary>
    private static (ITransformer Model, KeypointCnnModel Network) Fit(MLContext ml, KeypointCnnTrainer.Options trainerOptions,
        KeypointDataFile data, int inputSize)
    {
        if (!data.IsImageFiles)
        {
            var network = ml.Keypoints.Trainers.Cnn(trainerOptions).Fit(data.Data);
            return (network, network);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"image files: {data.Layout.KeypointCount} keypoints ({data.Layout.Name}), resized to {inputSize} x {inputSize}, {(trainerOptions.Channels == 3 ? "color" : "grey")}"));
        var model = ml.Keypoints.Trainers.CnnOnImages(new KeypointImageTrainer.Options
        {
            InputWidth = inputSize,
            InputHeight = inputSize,
            Network = trainerOptions,
        }).Fit(data.Data);
        return (model, model.Network);
    }

    private static void PrintValidation(MLContext ml, ITransformer model, KeypointDataFile validation, string what)
    {
        var metrics = ml.Keypoints.Evaluate(model.Transform(validation.Data), validation.Layout);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: RMSE {metrics.Rmse:F4} px, NME {(double.IsNaN(metrics.Nme) ? "undefined" : metrics.Nme.ToString("F4", CultureInfo.InvariantCulture))}"));
    }

    private static void SaveAtomically(MLContext ml, ITransformer model, DataViewSchema schema, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        ml.Model.Save(model, schema, temp);
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>
    /// <c>--augment</c> starts from <see cref="AugmentationOptions.Default"/>, else every transform is off. Each range
    /// option sets its transform's range and turns it on with probability 0.5 if it was off; <c>--augment-p</c> then
    /// sets the probability of every transform that is on. Out-of-range values fail in the trainer's validation.
    /// </summary>
    private static AugmentationOptions ParseAugmentation(CommandLine options)
    {
        var augmentation = options.Flag("augment") ? AugmentationOptions.Default : AugmentationOptions.None;
        if (options.Double("rotate") is double degrees)
        {
            augmentation.MaxRotationDegrees = degrees;
            augmentation.RotationProbability = TurnOn(augmentation.RotationProbability);
        }
        if (options.Range("scale") is var (minScale, maxScale))
        {
            (augmentation.MinScale, augmentation.MaxScale) = (minScale, maxScale);
            augmentation.ScaleProbability = TurnOn(augmentation.ScaleProbability);
        }
        if (options.Double("shift") is double shift)
        {
            augmentation.MaxShift = shift;
            augmentation.ShiftProbability = TurnOn(augmentation.ShiftProbability);
        }
        if (options.Double("brightness") is double delta)
        {
            augmentation.MaxBrightnessDelta = delta;
            augmentation.BrightnessProbability = TurnOn(augmentation.BrightnessProbability);
        }
        if (options.Range("contrast") is var (minContrast, maxContrast))
        {
            (augmentation.MinContrast, augmentation.MaxContrast) = (minContrast, maxContrast);
            augmentation.ContrastProbability = TurnOn(augmentation.ContrastProbability);
        }
        if (options.Double("blur") is double sigma)
        {
            // The option gives only the largest sigma; the smallest stays the default unless that is larger.
            (augmentation.MinBlurSigma, augmentation.MaxBlurSigma) = (Math.Min(augmentation.MinBlurSigma, sigma), sigma);
            augmentation.BlurProbability = TurnOn(augmentation.BlurProbability);
        }
        if (options.Double("augment-p") is double probability)
        {
            if (!augmentation.IsEnabled)
                throw new UsageException("Option --augment-p needs --augment or a transform option (--rotate, --scale, --shift, --brightness, --contrast, --blur).");
            augmentation.RotationProbability = Replace(augmentation.RotationProbability, probability);
            augmentation.ScaleProbability = Replace(augmentation.ScaleProbability, probability);
            augmentation.ShiftProbability = Replace(augmentation.ShiftProbability, probability);
            augmentation.BrightnessProbability = Replace(augmentation.BrightnessProbability, probability);
            augmentation.ContrastProbability = Replace(augmentation.ContrastProbability, probability);
            augmentation.BlurProbability = Replace(augmentation.BlurProbability, probability);
        }
        return augmentation;

        static double TurnOn(double current) => current > 0 ? current : 0.5;
        static double Replace(double current, double probability) => current > 0 ? probability : 0;
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
            if (value.Specialist is { } group)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"specialist {group} epoch {value.Epoch,4}  train loss {value.TrainLoss:F6}  validation RMSE {value.ValidationRmse:F3} px  " +
                    $"{value.ImagesPerSecond,6:F0} images/s{(value.IsBest ? "  *" : "")}"));
                return;
            }
            double perEpoch = value.Elapsed.TotalSeconds / value.Epoch;
            double left = (options.MaxEpochs - value.Epoch) * perEpoch;
            if (options.MaxTrainingTime is { } budget)
                left = Math.Min(left, Math.Max(0, (budget - value.Elapsed).TotalSeconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {value.Epoch,4}  train loss {value.TrainLoss:F6}  validation RMSE {value.ValidationRmse:F3} px  " +
                $"{value.ImagesPerSecond,6:F0} images/s  ETA {TimeSpan.FromSeconds(left):hh\\:mm\\:ss}{(value.IsBest ? "  *" : "")}"));
        }
    }

    /// <summary>Prints one line per pretraining epoch: the reconstruction error and the time spent.</summary>
    private sealed class ConsolePretrainingProgress : IProgress<PretrainingReport>
    {
        public void Report(PretrainingReport value) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pretraining epoch {value.Epoch,4}  reconstruction MSE {value.ReconstructionMse:F6}  {value.Elapsed.TotalMinutes:F1} min"));
    }
}
