using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Estimators;
using Keypoints.MLNet;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.Cli.Commands;

/// <summary><c>train</c>: fits a keypoint CNN on a Kaggle-layout CSV or a CSV of image files and saves an ML.NET model zip.</summary>
internal sealed class TrainCommand : Command
{
    private static readonly string[] Architectures = ["mlp", "convnet3", "nouri-dropout", "conv2", "conv6", "resnet18", "resnet18-pretrained"];

    private readonly Option<string[]> data = new("--data")
    {
        Description = "The training CSV, Kaggle layout or image files; repeat it to train on several files of the same layout, " +
            "one after the other [default: ../shared/data/fkd/training.csv when present]",
        HelpName = "training.csv",
    };
    private readonly Option<string?> validation = new("--validation")
    {
        Description = "Validation CSV in the same layout [default: with no --data, ../shared/data/fkd/validation.csv; otherwise " +
            "--validation-fraction of the training rows]",
        HelpName = "validation.csv",
    };
    private readonly Option<double?> validationFraction = new("--validation-fraction")
    {
        Description = "Without --validation, the fraction of training rows held out for validation; 0 trains on all rows without validation [default: 0.2]",
        HelpName = "F",
    };
    private readonly Option<string?> from = new("--from")
    {
        Description = "Fine-tune this saved model zip, or a shipped model (face68, kaggle15), on --data, which must have the model's keypoints and image size: the network, " +
            "input size, channels and test-time flip come from the model, and the learning rate defaults to a tenth of the optimizer's " +
            "(0.0001 with Adam)",
        HelpName = "model.zip|face68|kaggle15",
    };
    private readonly Option<int?> inputSize = new("--input-size") { Description = "(image files) Resize each face to N x N pixels [default: 96]", HelpName = "N" };
    private readonly Option<bool> color = new("--color") { Description = "(image files) Read the images in color instead of grey" };
    private readonly Option<string> architecture = new("--arch") { Description = "The network", DefaultValueFactory = _ => "resnet18" };
    private readonly Option<int?> frozenStages = new("--frozen-stages")
    {
        Description = "(--arch resnet18-pretrained) Keep the ImageNet weights of the first layer and of the first N of the four " +
            "residual stages [default: 0, all layers train]",
        HelpName = "N",
    };
    private readonly Option<string> optimizer = new("--optimizer") { Description = "The optimizer", DefaultValueFactory = _ => "adam" };
    private readonly Option<int?> epochs = new("--epochs") { Description = "Maximum epochs [default: 150]", HelpName = "N" };
    private readonly Option<double?> maxMinutes = new("--max-minutes")
    {
        Description = "Wall-clock budget of the whole run, in minutes: pre-training (at most 20%), the base network (half of what is " +
            "left when specialists follow) and the specialists (equal parts of the rest); 0 for no budget, so only --epochs ends the run [default: 30]",
        HelpName = "M",
    };
    private readonly Option<int?> batchSize = new("--batch-size") { Description = "Images per batch [default: 128]", HelpName = "B" };
    private readonly Option<int?> seed = new("--seed") { Description = "Random seed, for runs that repeat exactly", HelpName = "S" };
    private readonly Option<string> output = new("--out") { Description = "The model zip to write", HelpName = "model.zip", DefaultValueFactory = _ => "model.zip" };
    private readonly Option<double?> learningRate = new("--learning-rate") { Description = "Initial learning rate [default: the optimizer's]", HelpName = "LR" };
    private readonly Option<double?> learningRateDecay = new("--lr-decay") { Description = "(Adam) Learning-rate factor per epoch [default: 0.98]", HelpName = "FACTOR" };
    private readonly Option<int?> patience = new("--patience") { Description = "Stop after this many epochs without a better validation RMSE; 0 turns early stopping off [default: 30]", HelpName = "EPOCHS" };
    private readonly Option<double?> weightDecay = new("--weight-decay") { Description = "L2 weight decay [default: 0]", HelpName = "L2" };
    private readonly Option<string?> checkpoints = new("--checkpoints") { Description = "Checkpoint folder [default: beside --out, <out>.checkpoints]", HelpName = "DIR" };
    private readonly Option<bool> resume = new("--resume") { Description = "Continue from the checkpoint in the checkpoint folder, when there is one" };
    private readonly Option<bool> specialists = new("--specialists") { Description = "Then fine-tune one copy of the network per keypoint group (Nouri's six)" };
    private readonly Option<int?> specialistEpochs = new("--specialist-epochs") { Description = "Maximum epochs per specialist [default: 100]", HelpName = "N" };
    private readonly Option<double?> specialistMinutes = new("--specialist-minutes") { Description = "Wall-clock budget per specialist, in minutes", HelpName = "M" };
    private readonly Option<double?> specialistLearningRate = new("--specialist-learning-rate")
    {
        Description = "Specialists' initial learning rate [default: the rate of the base network's kept epoch]",
        HelpName = "LR",
    };
    private readonly Option<bool> testTimeFlip = new("--tta")
    {
        Description = "(the default; kept for scripts of earlier versions) The saved model averages every prediction with the " +
            "un-mirrored prediction of the mirrored face",
    };
    private readonly Option<bool> noTestTimeFlip = new("--no-tta")
    {
        Description = "The saved model predicts once per face, instead of averaging every prediction with the un-mirrored " +
            "prediction of the mirrored face (twice as fast to score)",
    };
    private readonly Option<bool> noFlip = new("--no-flip") { Description = "Do not mirror half of every training batch" };
    private readonly Option<int?> pretrainEpochs = new("--pretrain-epochs")
    {
        Description = "First pre-train the convolutional layers for N epochs as a denoising autoencoder (not with --arch mlp, " +
            "not again when --resume finds a checkpoint)",
        HelpName = "N",
    };
    private readonly Option<double?> pretrainNoise = new("--pretrain-noise")
    {
        Description = "Pre-training noise, in [0, 1] pixel units [default: 0.2]",
        HelpName = "SIGMA",
    };
    private readonly Option<bool> augment = new("--augment")
    {
        Description = "(the default; kept for scripts of earlier versions) The default per-batch augmentation, which --no-augment turns off",
    };
    private readonly Option<bool> noAugment = new("--no-augment")
    {
        Description = "Turn off the default per-batch augmentation (rotation within 15 degrees, scale 0.9 to 1.1, shift within 0.05 " +
            "of the image size, brightness within 0.1, contrast 0.8 to 1.2, each with probability 0.5, blur sigma 0.5 to 1.5 px " +
            "with probability 0.2); the transform options below then turn single transforms on",
    };
    private readonly Option<double?> rotate = new("--rotate") { Description = "Rotate within +-DEG degrees (turns rotation on)", HelpName = "DEG" };
    private readonly Option<(double Min, double Max)?> scale = new("--scale")
    {
        Description = "Scale by a factor from MIN to MAX (turns scaling on)",
        HelpName = "MIN,MAX",
        CustomParser = ParseRange,
    };
    private readonly Option<double?> shift = new("--shift") { Description = "Shift within +-FRAC of the image size (turns shifting on)", HelpName = "FRAC" };
    private readonly Option<double?> brightness = new("--brightness") { Description = "Add within +-DELTA to normalized pixels (turns brightness on)", HelpName = "DELTA" };
    private readonly Option<(double Min, double Max)?> contrast = new("--contrast")
    {
        Description = "Scale contrast by a factor from MIN to MAX (turns contrast on)",
        HelpName = "MIN,MAX",
        CustomParser = ParseRange,
    };
    private readonly Option<double?> blur = new("--blur") { Description = "Gaussian blur up to this sigma in pixels (turns blur on)", HelpName = "SIGMA_MAX" };
    private readonly Option<double?> augmentProbability = new("--augment-p")
    {
        Description = "Probability of every transform that is on (not with --no-augment unless a transform option turns one on)",
        HelpName = "P",
    };

    public TrainCommand()
        : base("train", "Train a keypoint CNN on a Kaggle CSV or a CSV of image files and save an ML.NET model zip. Prints one line " +
            "per epoch; with validation data it ends with the saved model's validation RMSE and NME.")
    {
        architecture.AcceptOnlyFromAmong(Architectures);
        optimizer.AcceptOnlyFromAmong("adam", "nesterov");
        foreach (var option in new Option[]
        {
            data, validation, validationFraction, from, inputSize, color, architecture, frozenStages, optimizer, epochs, maxMinutes, batchSize,
            seed, output,
            learningRate, learningRateDecay, patience, weightDecay, checkpoints, resume, specialists, specialistEpochs,
            specialistMinutes, specialistLearningRate, testTimeFlip, noTestTimeFlip, noFlip, pretrainEpochs, pretrainNoise, augment, noAugment, rotate, scale,
            shift, brightness, contrast, blur, augmentProbability,
        })
            Options.Add(option);
        SetAction(Run);
    }

    private int Run(ParseResult options)
    {
        var sharedFkd = DataLocations.FindSharedFkd();
        var dataPaths = options.GetValue(data) is { Length: > 0 } given ? given : null;
        var validationPath = options.GetValue(validation);
        var fraction = options.GetValue(validationFraction);
        if (validationPath is not null && fraction is not null)
            throw new UsageException("Options --validation and --validation-fraction exclude each other: validate on a file or on held-out rows.");
        if (dataPaths is null)
        {
            if (sharedFkd is null)
                throw new UsageException(DataLocations.DownloadHint);
            dataPaths = [Path.Combine(sharedFkd, "training.csv")];
            if (fraction is null)
                validationPath ??= Path.Combine(sharedFkd, "validation.csv");
        }
        var dataPath = string.Join(" + ", dataPaths);
        foreach (var (on, off) in new[] { (augment, noAugment), (testTimeFlip, noTestTimeFlip) })
        {
            if (options.GetValue(on) && options.GetValue(off))
                throw new UsageException($"Options {on.Name} and {off.Name} exclude each other.");
        }
        var trainerOptions = KeypointCnnTrainer.Options.Recommended();
        trainerOptions.Architecture = ParseArchitecture(options.GetRequiredValue(architecture));
        trainerOptions.FrozenStages = options.GetValue(frozenStages) ?? trainerOptions.FrozenStages;
        if (trainerOptions.FrozenStages != 0 && trainerOptions.Architecture != KeypointArchitecture.ResNet18Pretrained)
            throw new UsageException("Option --frozen-stages needs --arch resnet18-pretrained.");
        if (trainerOptions.FrozenStages is < 0 or > 4)
            throw new UsageException("Option --frozen-stages takes 0 to 4.");
        trainerOptions.Optimizer = options.GetRequiredValue(optimizer) == "nesterov" ? KeypointOptimizer.Nesterov : KeypointOptimizer.Adam;
        trainerOptions.MaxEpochs = options.GetValue(epochs) ?? trainerOptions.MaxEpochs;
        trainerOptions.BatchSize = options.GetValue(batchSize) ?? trainerOptions.BatchSize;
        trainerOptions.Seed = options.GetValue(seed);
        trainerOptions.MaxTrainingTime = options.GetValue(maxMinutes) switch
        {
            null => trainerOptions.MaxTrainingTime,
            0 => null,
            double minutes when minutes < 0 || !double.IsFinite(minutes) || minutes > TimeSpan.MaxValue.TotalMinutes / 2 =>
                throw new UsageException("Option --max-minutes takes a positive number of minutes, or 0 for no budget."),
            double minutes => TimeSpan.FromMinutes(minutes),
        };
        trainerOptions.WeightDecay = options.GetValue(weightDecay) ?? trainerOptions.WeightDecay;
        trainerOptions.LearningRate = options.GetValue(learningRate);
        trainerOptions.LearningRateDecay = options.GetValue(learningRateDecay) ?? trainerOptions.LearningRateDecay;
        trainerOptions.EarlyStoppingPatience = options.GetValue(patience) ?? trainerOptions.EarlyStoppingPatience;
        trainerOptions.ValidationFraction = fraction ?? trainerOptions.ValidationFraction;
        trainerOptions.Augmentation = ParseAugmentation(options);
        trainerOptions.Specialists = options.GetValue(specialists);
        trainerOptions.SpecialistMaxEpochs = options.GetValue(specialistEpochs) ?? trainerOptions.SpecialistMaxEpochs;
        trainerOptions.SpecialistMaxTrainingTime = options.GetValue(specialistMinutes) is double specialistBudget
            ? TimeSpan.FromMinutes(specialistBudget) : null;
        trainerOptions.SpecialistLearningRate = options.GetValue(specialistLearningRate);
        trainerOptions.TestTimeFlip = !options.GetValue(noTestTimeFlip);
        trainerOptions.FlipAugmentation = !options.GetValue(noFlip);
        trainerOptions.PretrainingEpochs = options.GetValue(pretrainEpochs) ?? trainerOptions.PretrainingEpochs;
        trainerOptions.PretrainingNoise = options.GetValue(pretrainNoise) ?? trainerOptions.PretrainingNoise;
        var outputPath = options.GetRequiredValue(output);
        trainerOptions.CheckpointFolder = options.GetValue(checkpoints) ?? Path.GetFullPath(outputPath) + ".checkpoints";
        trainerOptions.ResumeFromCheckpoint = options.GetValue(resume);
        var size = options.GetValue(inputSize);
        bool inColor = options.GetValue(color);

        var ml = new MLContext(trainerOptions.Seed);
        using var startFrom = LoadStartingModel(ml, options);
        if (startFrom is not null)
        {
            trainerOptions.StartFrom = startFrom;
            // The model decides, unless --tta or --no-tta says otherwise.
            trainerOptions.TestTimeFlip = options.GetValue(testTimeFlip) || (startFrom.Metadata.TestTimeFlip && !options.GetValue(noTestTimeFlip));
            size = startFrom.Metadata.Layout.ImageWidth;
            inColor = startFrom.Metadata.Channels == 3;
        }
        var trainingData = KeypointDataFile.Load(ml, dataPaths);
        var validationData = validationPath is null ? null : KeypointDataFile.Load(ml, validationPath);
        if (validationData is not null && validationData.IsImageFiles != trainingData.IsImageFiles)
            throw new UsageException($"'{dataPath}' and '{validationPath}' must both be Kaggle CSVs or both CSVs of image files.");
        if (startFrom is not null && (startFrom is KeypointImageModel) != trainingData.IsImageFiles)
            throw new UsageException(startFrom is KeypointImageModel
                ? $"The model in '{options.GetValue(from)}' was trained on image files; fine-tune it on a CSV of image files (first column 'image')."
                : $"The model in '{options.GetValue(from)}' was trained on a Kaggle CSV; fine-tune it on a Kaggle CSV.");
        if (!trainingData.IsImageFiles && startFrom is null && (size is not null || inColor))
            throw new UsageException("Options --input-size and --color apply to CSVs of image files (first column 'image').");
        trainerOptions.ValidationData = validationData?.Data;
        trainerOptions.Channels = inColor ? 3 : 1;
        var progress = new TrainingProgress(trainerOptions.MaxEpochs,
            trainerOptions.MaxTrainingTime * (trainerOptions.Specialists ? trainerOptions.BaseNetworkTimeShare : 1),
            trainerOptions.ResumeFromCheckpoint ? 0 : trainerOptions.PretrainingEpochs, trainerOptions.SpecialistMaxEpochs);
        trainerOptions.Progress = progress;
        trainerOptions.PretrainingProgress = progress;
        if (startFrom is not null)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fine-tuning {options.GetValue(from)}: its network, {startFrom.Layout.KeypointCount} keypoints ({startFrom.Layout.Name}), " +
                $"{startFrom.Metadata.Layout.ImageWidth} x {startFrom.Metadata.Layout.ImageHeight} {(inColor ? "color" : "grey")} input" +
                $"{(trainerOptions.TestTimeFlip ? ", test-time flip" : "")}, learning rate {trainerOptions.LearningRate?.ToString(CultureInfo.InvariantCulture) ?? "a tenth of the optimizer's default"}"));
        if (trainerOptions.ResumeFromCheckpoint)
            Console.WriteLine($"resuming from the checkpoint in {trainerOptions.CheckpointFolder} when there is one");
        Console.WriteLine($"training {(startFrom is null ? trainerOptions.Architecture.ToString() : "the model's network")} with {trainerOptions.Optimizer} on {dataPath}" +
            (trainerOptions.Augmentation.IsEnabled ? " with augmentation" : "") +
            (trainerOptions.Specialists ? ", then specialists" : "") +
            (trainerOptions.TestTimeFlip ? ", scoring with test-time flip" : "") +
            (trainerOptions.PretrainingEpochs > 0 ? $" after {trainerOptions.PretrainingEpochs} epochs of denoising-autoencoder pretraining" : "") +
            (validationPath is not null ? $", validating on {validationPath}"
                : trainerOptions.ValidationFraction > 0 ? $" (validating on {trainerOptions.ValidationFraction:P0} of it)" : " without validation"));

        if (trainingData.IsImageFiles)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"image files: {trainingData.Layout.KeypointCount} keypoints ({trainingData.Layout.Name}), resized to {size ?? 96} x {size ?? 96}, {(inColor ? "color" : "grey")}"));

        var (model, network) = progress.Run(() => Fit(ml, trainerOptions, trainingData, size ?? 96));
        using var disposeModel = (IDisposable)model;
        SaveAtomically(ml, model, trainingData.Data.Schema, outputPath);
        var best = network.History.Where(h => !double.IsNaN(h.ValidationRmse)).MinBy(h => h.ValidationRmse);
        Console.WriteLine(best is null
            ? $"saved {outputPath} after {network.History.Count} epochs"
            : string.Create(CultureInfo.InvariantCulture,
                $"saved {outputPath}: best validation RMSE {best.ValidationRmse:F3} px (network input frame) at epoch {best.Epoch} of {network.History.Count}, {network.History[^1].Elapsed.TotalMinutes:F1} min"));
        if (trainerOptions.FlipAugmentation && trainerOptions.CalibrateFlipAxis)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"the labels' mirror axis lies {network.FlipAxisOffset:+0.00;-0.00} px from the image's center line (flips and --tta mirror about it)"));
        foreach (var (group, history) in network.SpecialistHistories)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"specialist {group}: {history.Count} epochs, {(history.Count > 0 ? history[^1].Elapsed.TotalMinutes : 0):F1} min"));
        if (validationData is not null)
        {
            PrintValidation(ml, model, validationData, "validation of the saved model");
            // An image-file model chains the network with the image pipeline; only a bare network can be rebuilt without the flip.
            if (network.TestTimeFlip && !trainingData.IsImageFiles)
            {
                using var withoutFlip = network.WithTestTimeFlip(false);
                PrintValidation(ml, withoutFlip, validationData, "the same networks without test-time flip");
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
        var model = ml.Keypoints.Trainers.CnnOnImages(new KeypointImageTrainer.Options
        {
            InputWidth = inputSize,
            InputHeight = inputSize,
            Network = trainerOptions,
        }).Fit(data.Data);
        return (model, model.Network);
    }

    /// <summary>With <c>--from</c>, the model to fine-tune; refuses the options that the model decides.</summary>
    private IKeypointModel? LoadStartingModel(MLContext ml, ParseResult options)
    {
        if (options.GetValue(from) is not { } path)
            return null;
        foreach (var decided in new Option[] { architecture, inputSize, color, pretrainEpochs, pretrainNoise })
        {
            if (options.GetResult(decided) is { Implicit: false })
                throw new UsageException($"Option {decided.Name} does not go with --from: the model decides its network, input size " +
                    "and channels, and fine-tuning starts from its weights instead of pre-training.");
        }
        var file = ModelArgument.Resolve(path);
        if (!File.Exists(file))
            throw new UsageException($"Model '{path}' (--from) does not exist.");
        return ml.Keypoints.LoadModel(file);
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
    /// Augmentation starts from <see cref="AugmentationOptions.Default"/>, or with <c>--no-augment</c> from every transform off. Each range
    /// option sets its transform's range and turns it on with probability 0.5 if it was off; <c>--augment-p</c> then
    /// sets the probability of every transform that is on. Out-of-range values fail in the trainer's validation.
    /// </summary>
    private AugmentationOptions ParseAugmentation(ParseResult options)
    {
        var augmentation = options.GetValue(noAugment) ? AugmentationOptions.None : AugmentationOptions.Default;
        if (options.GetValue(rotate) is double degrees)
        {
            augmentation.MaxRotationDegrees = degrees;
            augmentation.RotationProbability = TurnOn(augmentation.RotationProbability);
        }
        if (options.GetValue(scale) is var (minScale, maxScale))
        {
            (augmentation.MinScale, augmentation.MaxScale) = (minScale, maxScale);
            augmentation.ScaleProbability = TurnOn(augmentation.ScaleProbability);
        }
        if (options.GetValue(shift) is double maxShift)
        {
            augmentation.MaxShift = maxShift;
            augmentation.ShiftProbability = TurnOn(augmentation.ShiftProbability);
        }
        if (options.GetValue(brightness) is double delta)
        {
            augmentation.MaxBrightnessDelta = delta;
            augmentation.BrightnessProbability = TurnOn(augmentation.BrightnessProbability);
        }
        if (options.GetValue(contrast) is var (minContrast, maxContrast))
        {
            (augmentation.MinContrast, augmentation.MaxContrast) = (minContrast, maxContrast);
            augmentation.ContrastProbability = TurnOn(augmentation.ContrastProbability);
        }
        if (options.GetValue(blur) is double sigma)
        {
            // The option gives only the largest sigma; the smallest stays the default unless that is larger.
            (augmentation.MinBlurSigma, augmentation.MaxBlurSigma) = (Math.Min(augmentation.MinBlurSigma, sigma), sigma);
            augmentation.BlurProbability = TurnOn(augmentation.BlurProbability);
        }
        if (options.GetValue(augmentProbability) is double probability)
        {
            if (!augmentation.IsEnabled)
                throw new UsageException("Option --augment-p needs augmentation: drop --no-augment, or turn a transform on (--rotate, --scale, --shift, --brightness, --contrast, --blur).");
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
        "resnet18-pretrained" => KeypointArchitecture.ResNet18Pretrained,
        _ => throw new UsageException($"Unknown --arch '{name}'; use {string.Join(", ", Architectures)}."),
    };

    /// <summary>Reads <c>MIN,MAX</c>: two numbers separated by a comma.</summary>
    private static (double Min, double Max)? ParseRange(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        var parts = text.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max))
            return (min, max);
        var name = result.Parent is OptionResult option ? option.Option.Name : "the option";
        result.AddError($"Option {name} expects MIN,MAX, got '{text}'.");
        return null;
    }
}
