using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Keypoints.MLNet;
using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.Cli.Commands;

/// <summary><c>train</c>: fits a keypoint CNN on a Kaggle-layout CSV or a CSV of image files and saves an ML.NET model
/// zip.</summary>
internal sealed class TrainCommand : Command
{
    private static readonly string[] Architectures =
    [
        "mlp",
        "convnet3",
        "nouri-dropout",
        "conv2",
        "conv6",
        "resnet18",
        "resnet18-pretrained",
        "resnet18-integral",
    ];

    private static readonly Dictionary<string, KeypointLoss> Losses = new(StringComparer.Ordinal)
    {
        ["l2"] = KeypointLoss.MeanSquaredError,
        ["l1"] = KeypointLoss.MeanAbsoluteError,
        ["wing"] = KeypointLoss.Wing,
    };

    private readonly Option<string[]> data = new("--data")
    {
        Description =
            "The training CSV, Kaggle layout or image files (required); repeat it to train on several files of the "
            + "same "
            + "layout, one after the other",
        HelpName = "training.csv",
    };
    private readonly Option<string?> validation = new("--validation")
    {
        Description = "Validation CSV in the same layout [default: --validation-fraction of the training rows]",
        HelpName = "validation.csv",
    };
    private readonly Option<double?> validationFraction = new("--validation-fraction")
    {
        Description =
            "Without --validation, the fraction of training rows held out for validation; 0 trains on all rows "
            + "without validation [default: 0.2]",
        HelpName = "F",
    };
    private readonly Option<string?> from = new("--from")
    {
        Description =
            "Fine-tune this saved model zip, or a shipped model (face68, kaggle15), on --data, which must have the "
            + "model's keypoints and image size: the network, "
            + "input size, channels and test-time flip come from the model, and the learning rate defaults to a tenth "
            + "of the optimizer's "
            + "(0.0001 with Adam)",
        HelpName = "model.zip|face68|kaggle15",
    };
    private readonly Option<int?> inputSize = new("--input-size")
    {
        Description = "(image files) Resize each face to N x N pixels [default: 96]",
        HelpName = "N",
    };
    private readonly Option<string> terms = new("--terms")
    {
        Description =
            "The terms of use of the training data, one sentence that the model records for whoever scores with it "
            + "(info prints it) [default: none, or the --from model's]",
        HelpName = "TEXT",
    };
    private readonly Option<bool> color = new("--color")
    {
        Description = "(image files) Read the images in color instead of grey",
    };
    private readonly Option<string> architecture = new("--arch")
    {
        Description =
            "The network: mlp, convnet3, nouri-dropout (Nouri's nets), conv2, conv6 (small plain CNNs), resnet18, "
            + "resnet18-pretrained (ImageNet weights), resnet18-integral (heatmaps with a soft-argmax instead of the "
            + "linear output)",
        HelpName = "NAME",
        DefaultValueFactory = _ => "resnet18-integral",
    };
    private readonly Option<int?> frozenStages = new("--frozen-stages")
    {
        Description =
            "(--arch resnet18-pretrained) Keep the ImageNet weights of the first layer and of the first N of the four "
            + "residual stages [default: 0, all layers train]",
        HelpName = "N",
    };
    private readonly Option<string> optimizer = new("--optimizer")
    {
        Description = "The optimizer",
        DefaultValueFactory = _ => "adam",
    };
    private readonly Option<string> loss = new("--loss")
    {
        Description =
            "The loss: l2 (squared error), l1 (absolute error) or wing (Feng et al.'s Wing loss, 10 px / 2 px)",
        DefaultValueFactory = _ => "l1",
    };
    private readonly Option<int?> epochs = new("--epochs")
    {
        Description = "Maximum epochs [default: 150]",
        HelpName = "N",
    };
    private readonly Option<double?> maxMinutes = new("--max-minutes")
    {
        Description =
            "Wall-clock budget of the whole run, in minutes: pre-training (at most 20%), the base network (half of "
            + "what is "
            + "left when specialists follow) and the specialists (equal parts of the rest); 0 for no budget, so only "
            + "--epochs ends the run [default: 30]",
        HelpName = "M",
    };
    private readonly Option<int?> batchSize = new("--batch-size")
    {
        Description = "Images per batch [default: 32]",
        HelpName = "B",
    };
    private readonly Option<int?> seed = new("--seed")
    {
        Description = "Random seed, for runs that repeat exactly",
        HelpName = "S",
    };
    private readonly Option<string> output = new("--out")
    {
        Description = "The model zip to write",
        HelpName = "model.zip",
        DefaultValueFactory = _ => "model.zip",
    };
    private readonly Option<double?> learningRate = new("--learning-rate")
    {
        Description = "Initial learning rate [default: the optimizer's]",
        HelpName = "LR",
    };
    private readonly Option<double?> learningRateDecay = new("--lr-decay")
    {
        Description = "(Adam) Learning-rate factor per epoch [default: 0.98]",
        HelpName = "FACTOR",
    };
    private readonly Option<int?> patience = new("--patience")
    {
        Description =
            "Stop after this many epochs without a better validation RMSE; 0 turns early stopping off [default: 30]",
        HelpName = "EPOCHS",
    };
    private readonly Option<double?> weightDecay = new("--weight-decay")
    {
        Description = "L2 weight decay [default: 0]",
        HelpName = "L2",
    };
    private readonly Option<string?> checkpoints = new("--checkpoints")
    {
        Description = "Checkpoint folder [default: beside --out, <out>.checkpoints]",
        HelpName = "DIR",
    };
    private readonly Option<bool> resume = new("--resume")
    {
        Description = "Continue from the checkpoint in the checkpoint folder, when there is one",
    };
    private readonly Option<bool> specialists = new("--specialists")
    {
        Description = "Then fine-tune one copy of the network per keypoint group (Nouri's six)",
    };
    private readonly Option<int?> specialistEpochs = new("--specialist-epochs")
    {
        Description = "Maximum epochs per specialist [default: 100]",
        HelpName = "N",
    };
    private readonly Option<double?> specialistMinutes = new("--specialist-minutes")
    {
        Description = "Wall-clock budget per specialist, in minutes",
        HelpName = "M",
    };
    private readonly Option<double?> specialistLearningRate = new("--specialist-learning-rate")
    {
        Description = "Specialists' initial learning rate [default: the rate of the base network's kept epoch]",
        HelpName = "LR",
    };
    private readonly Option<bool> noTestTimeFlip = new("--no-tta")
    {
        Description =
            "The saved model predicts once per face, instead of averaging every prediction with the un-mirrored "
            + "prediction of the mirrored face (twice as fast to score)",
    };
    private readonly Option<bool> noFlip = new("--no-flip")
    {
        Description = "Do not mirror half of every training batch",
    };
    private readonly Option<int?> pretrainEpochs = new("--pretrain-epochs")
    {
        Description =
            "First pre-train the convolutional layers for N epochs as a denoising autoencoder (not with --arch mlp, "
            + "not again when --resume finds a checkpoint)",
        HelpName = "N",
    };
    private readonly Option<double?> pretrainNoise = new("--pretrain-noise")
    {
        Description = "Pre-training noise, in [0, 1] pixel units [default: 0.2]",
        HelpName = "SIGMA",
    };
    private readonly Option<bool> noAugment = new("--no-augment")
    {
        Description =
            "Turn off the default per-batch augmentation (rotation within 15 degrees, scale 0.9 to 1.1, shift within "
            + "0.05 "
            + "of the image size, brightness within 0.1, contrast 0.8 to 1.2, each with probability 0.5, blur sigma "
            + "0.5 to 1.5 px "
            + "with probability 0.2); the transform options below then turn single transforms on",
    };
    private readonly Option<double?> rotate = new("--rotate")
    {
        Description = "Rotate within +-DEG degrees (turns rotation on)",
        HelpName = "DEG",
    };
    private readonly Option<(double Min, double Max)?> scale = new("--scale")
    {
        Description = "Scale by a factor from MIN to MAX (turns scaling on)",
        HelpName = "MIN,MAX",
        CustomParser = ParseRange,
    };
    private readonly Option<double?> shift = new("--shift")
    {
        Description = "Shift within +-FRAC of the image size (turns shifting on)",
        HelpName = "FRAC",
    };
    private readonly Option<double?> brightness = new("--brightness")
    {
        Description = "Add within +-DELTA to normalized pixels (turns brightness on)",
        HelpName = "DELTA",
    };
    private readonly Option<(double Min, double Max)?> contrast = new("--contrast")
    {
        Description = "Scale contrast by a factor from MIN to MAX (turns contrast on)",
        HelpName = "MIN,MAX",
        CustomParser = ParseRange,
    };
    private readonly Option<double?> blur = new("--blur")
    {
        Description = "Gaussian blur up to this sigma in pixels (turns blur on)",
        HelpName = "SIGMA_MAX",
    };
    private readonly Option<double?> augmentProbability = new("--augment-p")
    {
        Description =
            "Probability of every transform that is on (not with --no-augment unless a transform option turns one on)",
        HelpName = "P",
    };

    public TrainCommand()
        : base(
            "train",
            CommandHelp.With(
                "Train a keypoint CNN on a Kaggle CSV or a CSV of image files and save an ML.NET model zip. Prints one "
                    + "line per epoch; with validation data it ends with the saved model's validation RMSE and NME.",
                "keypoints train --data mine.csv --out mine.zip",
                "keypoints train --data mine.csv --from face68 --out tuned.zip",
                "keypoints train --data training.csv --validation validation.csv --max-minutes 60 --out kaggle.zip"
            )
        )
    {
        architecture.AcceptOnlyFromAmong(Architectures);
        optimizer.AcceptOnlyFromAmong("adam", "nesterov");
        loss.AcceptOnlyFromAmong([.. Losses.Keys]);
        foreach (var option in AllOptions())
            Options.Add(option);
        SetAction(Run);
    }

    private Option[] AllOptions() =>
        new Option[]
        {
            data,
            validation,
            validationFraction,
            from,
            inputSize,
            color,
            architecture,
            frozenStages,
            optimizer,
            loss,
            epochs,
            maxMinutes,
            batchSize,
            seed,
            output,
            terms,
            learningRate,
            learningRateDecay,
            patience,
            weightDecay,
            checkpoints,
            resume,
            specialists,
            specialistEpochs,
            specialistMinutes,
            specialistLearningRate,
            noTestTimeFlip,
            noFlip,
            pretrainEpochs,
            pretrainNoise,
            noAugment,
            rotate,
            scale,
            shift,
            brightness,
            contrast,
            blur,
            augmentProbability,
        };

    private int Run(ParseResult options)
    {
        var (dataPaths, validationPath) = DataArguments(options);
        var trainerOptions = TrainerOptions(options);
        string outputPath = options.GetRequiredValue(output);
        trainerOptions.Checkpoints.Folder = options.GetValue(checkpoints)
            ?? Path.GetFullPath(outputPath) + ".checkpoints";
        var ml = new MLContext(trainerOptions.Seed);
        using var startFrom = LoadStartingModel(ml, options);
        var trainingData = KeypointDataFile.Load(ml, dataPaths);
        var validationData = validationPath is null ? null : KeypointDataFile.Load(ml, validationPath);
        var input = InputOf(options, startFrom, trainingData, validationData, trainerOptions);
        var progress = new TrainingProgress(
            trainerOptions.Schedule.MaxEpochs,
            trainerOptions.TimeBudget.MaxTrainingTime
                * (trainerOptions.Specialists.Enabled ? trainerOptions.TimeBudget.BaseNetworkShare : 1),
            trainerOptions.Checkpoints.Resume ? 0 : trainerOptions.Pretraining.Epochs,
            trainerOptions.Specialists.MaxEpochs
        );
        trainerOptions.Progress = progress;
        trainerOptions.Pretraining.Progress = progress;
        PrintPlan(options, trainerOptions, startFrom, string.Join(" + ", dataPaths), validationPath, input);
        if (trainingData.IsImageFiles)
        {
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"image files: {trainingData.Layout.KeypointCount} keypoints ({trainingData.Layout.Name}), "
                        + $"resized to {input.Size} x {input.Size}, {(input.Color ? "color" : "grey")}"
                )
            );
        }

        var (model, network) = progress.Run(() => Fit(ml, trainerOptions, trainingData, input.Size));
        using var disposeModel = model;
        SaveAtomically(ml, model, trainingData.Data.Schema, outputPath);
        PrintResults(outputPath, trainerOptions, network);
        if (validationData is not null)
        {
            PrintValidation(ml, model, validationData, "validation of the saved model");
            if (network.TestTimeFlip)
            {
                using var withoutFlip = model.WithTestTimeFlip(false);
                PrintValidation(ml, withoutFlip, validationData, "the same networks without test-time flip");
            }
        }
        return 0;
    }

    /// <summary>The training files (<c>--data</c>, required) and the validation file, if any.</summary>
    private (string[] Data, string? Validation) DataArguments(ParseResult options)
    {
        string? validationPath = options.GetValue(validation);
        if (validationPath is not null && options.GetValue(validationFraction) is not null)
        {
            throw new UsageException(
                "Options --validation and --validation-fraction exclude each other: validate on a file or on held-out "
                    + "rows."
            );
        }

        if (options.GetValue(data) is not { Length: > 0 } dataPaths)
        {
            throw new UsageException(
                "Option --data is required: train --data training.csv --out model.zip. For the Kaggle faces, "
                    + "download training.csv from https://www.kaggle.com/c/facial-keypoints-detection/data."
            );
        }

        return (dataPaths, validationPath);
    }

    /// <summary>The trainer's options: its defaults (the recommended recipe) with what the command line
    /// changes.</summary>
    private KeypointCnnTrainer.Options TrainerOptions(ParseResult options)
    {
        var trainerOptions = new KeypointCnnTrainer.Options
        {
            Architecture = ParseArchitecture(options.GetRequiredValue(architecture)),
            Seed = options.GetValue(seed),
            Augmentation = ParseAugmentation(options),
            TestTimeFlip = !options.GetValue(noTestTimeFlip),
            FlipAugmentation = !options.GetValue(noFlip),
            Terms = options.GetValue(terms),
            Loss = Losses[options.GetRequiredValue(loss)],
        };
        trainerOptions.FrozenStages = options.GetValue(frozenStages) ?? trainerOptions.FrozenStages;
        if (trainerOptions.FrozenStages != 0 && trainerOptions.Architecture != KeypointArchitecture.ResNet18Pretrained)
            throw new UsageException("Option --frozen-stages needs --arch resnet18-pretrained.");
        if (trainerOptions.FrozenStages is < 0 or > 4)
            throw new UsageException("Option --frozen-stages takes 0 to 4.");
        trainerOptions.ValidationFraction = options.GetValue(validationFraction) ?? trainerOptions.ValidationFraction;
        SetSchedule(options, trainerOptions.Schedule);
        trainerOptions.TimeBudget.MaxTrainingTime = options.GetValue(maxMinutes) switch
        {
            null => trainerOptions.TimeBudget.MaxTrainingTime,
            0 => null,
            double minutes
                when minutes < 0 || !double.IsFinite(minutes) || minutes > TimeSpan.MaxValue.TotalMinutes / 2 =>
                throw new UsageException(
                    "Option --max-minutes takes a positive number of minutes, or 0 for no budget."
                ),
            double minutes => TimeSpan.FromMinutes(minutes),
        };
        var specialistOptions = trainerOptions.Specialists;
        specialistOptions.Enabled = options.GetValue(specialists);
        specialistOptions.MaxEpochs = options.GetValue(specialistEpochs) ?? specialistOptions.MaxEpochs;
        specialistOptions.MaxTrainingTime = options.GetValue(specialistMinutes) is double specialistBudget
            ? TimeSpan.FromMinutes(specialistBudget)
            : null;
        specialistOptions.LearningRate = options.GetValue(specialistLearningRate);
        trainerOptions.Pretraining.Epochs = options.GetValue(pretrainEpochs) ?? trainerOptions.Pretraining.Epochs;
        trainerOptions.Pretraining.Noise = options.GetValue(pretrainNoise) ?? trainerOptions.Pretraining.Noise;
        trainerOptions.Checkpoints.Resume = options.GetValue(resume);
        return trainerOptions;
    }

    private void SetSchedule(ParseResult options, ScheduleOptions schedule)
    {
        schedule.Optimizer =
            options.GetRequiredValue(optimizer) == "nesterov" ? KeypointOptimizer.Nesterov : KeypointOptimizer.Adam;
        schedule.MaxEpochs = options.GetValue(epochs) ?? schedule.MaxEpochs;
        schedule.BatchSize = options.GetValue(batchSize) ?? schedule.BatchSize;
        schedule.WeightDecay = options.GetValue(weightDecay) ?? schedule.WeightDecay;
        schedule.LearningRate = options.GetValue(learningRate);
        schedule.LearningRateDecay = options.GetValue(learningRateDecay) ?? schedule.LearningRateDecay;
        schedule.EarlyStoppingPatience = options.GetValue(patience) ?? schedule.EarlyStoppingPatience;
    }

    /// <summary>The network's input: with <c>--from</c> the model's (and its test-time flip unless <c>--no-tta</c>),
    /// else
    /// <c>--input-size</c> and <c>--color</c>, which apply to image files only; sets the options' channels and
    /// validation rows.</summary>
    private ImageInput InputOf(
        ParseResult options,
        IKeypointModel? startFrom,
        KeypointDataFile trainingData,
        KeypointDataFile? validationData,
        KeypointCnnTrainer.Options trainerOptions
    )
    {
        var input = new ImageInput(options.GetValue(inputSize), options.GetValue(color));
        if (validationData is not null && validationData.IsImageFiles != trainingData.IsImageFiles)
        {
            throw new UsageException(
                "The training and validation files must both be Kaggle CSVs or both CSVs of image files."
            );
        }

        if (startFrom is not null)
        {
            if ((startFrom is KeypointImageModel) != trainingData.IsImageFiles)
            {
                throw new UsageException(
                    startFrom is KeypointImageModel
                        ? $"The model in '{options.GetValue(from)}' was trained on image files; fine-tune it on a CSV "
                            + $"of image files (first column 'image')."
                        : $"The model in '{options.GetValue(from)}' was trained on a Kaggle CSV; fine-tune it on a "
                            + $"Kaggle CSV."
                );
            }

            trainerOptions.StartFrom = startFrom;
            trainerOptions.TestTimeFlip = startFrom.Metadata.TestTimeFlip && !options.GetValue(noTestTimeFlip);
            input = new ImageInput(startFrom.Metadata.Layout.ImageWidth, startFrom.Metadata.Channels == 3);
        }
        else if (!trainingData.IsImageFiles && (input.RequestedSize is not null || input.Color))
        {
            throw new UsageException(
                "Options --input-size and --color apply to CSVs of image files (first column 'image')."
            );
        }

        trainerOptions.ValidationData = validationData?.Data;
        trainerOptions.Channels = input.Color ? 3 : 1;
        return input;
    }

    private void PrintPlan(
        ParseResult options,
        KeypointCnnTrainer.Options trainerOptions,
        IKeypointModel? startFrom,
        string dataPath,
        string? validationPath,
        ImageInput input
    )
    {
        if (startFrom is not null)
        {
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"fine-tuning {options.GetValue(from)}: its network, {startFrom.Layout.KeypointCount} keypoints "
                        + $"({startFrom.Layout.Name}), "
                        + $"{startFrom.Metadata.Layout.ImageWidth} x {startFrom.Metadata.Layout.ImageHeight} "
                        + $"{(input.Color ? "color" : "grey")} input"
                        + $"{(trainerOptions.TestTimeFlip ? ", test-time flip" : "")}, learning rate "
                )
                    + (
                        trainerOptions.Schedule.LearningRate?.ToString(CultureInfo.InvariantCulture)
                        ?? "a tenth of the optimizer's default"
                    )
            );
        }

        if (trainerOptions.Checkpoints.Resume)
            Console.WriteLine($"resuming from the checkpoint in {trainerOptions.Checkpoints.Folder} when there is one");
        Console.WriteLine(
            $"training {(startFrom is null ? trainerOptions.Architecture.ToString() : "the model's network")} with "
                + $"{trainerOptions.Schedule.Optimizer}"
                + $" and {trainerOptions.Loss} loss"
                + $" on {dataPath}"
                + (trainerOptions.Augmentation.IsEnabled ? " with augmentation" : "")
                + (trainerOptions.Specialists.Enabled ? ", then specialists" : "")
                + (trainerOptions.TestTimeFlip ? ", scoring with test-time flip" : "")
                + (
                    trainerOptions.Pretraining.Epochs > 0
                        ? $" after {trainerOptions.Pretraining.Epochs} epochs of denoising-autoencoder pretraining"
                        : ""
                )
                + (
                    validationPath is not null ? $", validating on {validationPath}"
                    : trainerOptions.ValidationFraction > 0
                        ? $" (validating on {trainerOptions.ValidationFraction:P0} of it)"
                    : " without validation"
                )
        );
    }

    private static void PrintResults(
        string outputPath,
        KeypointCnnTrainer.Options trainerOptions,
        KeypointCnnModel network
    )
    {
        var best = network.History.Where(h => !double.IsNaN(h.ValidationRmse)).MinBy(h => h.ValidationRmse);
        Console.WriteLine(
            best is null
                ? $"saved {outputPath} after {network.History.Count} epochs"
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"saved {outputPath}: best validation RMSE {best.ValidationRmse:F3} px (network input frame) at "
                        + $"epoch {best.Epoch} of {network.History.Count}, "
                        + $"{network.History[^1].Elapsed.TotalMinutes:F1} min"
                )
        );
        if (trainerOptions.FlipAugmentation && trainerOptions.CalibrateFlipAxis)
        {
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"the labels' mirror axis lies {network.FlipAxisOffset:+0.00;-0.00} px from the image's center "
                        + $"line (flips and the test-time flip mirror about it)"
                )
            );
        }

        foreach (var (group, history) in network.SpecialistHistories)
        {
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"specialist {group}: {history.Count} epochs, "
                        + $"{(history.Count > 0 ? history[^1].Elapsed.TotalMinutes : 0):F1} min"
                )
            );
        }
    }

    /// <summary>Trains on a Kaggle CSV, or on image files resized to <paramref name="inputSize"/> pixels
    /// square.</summary>
    private static (IKeypointModel Model, KeypointCnnModel Network) Fit(
        MLContext ml,
        KeypointCnnTrainer.Options trainerOptions,
        KeypointDataFile data,
        int inputSize
    )
    {
        if (!data.IsImageFiles)
        {
            var network = ml.Keypoints.Trainers.Cnn(trainerOptions).Fit(data.Data);
            return (network, network);
        }
        var model = ml
            .Keypoints.Trainers.CnnOnImages(
                new KeypointImageTrainer.Options
                {
                    InputWidth = inputSize,
                    InputHeight = inputSize,
                    Network = trainerOptions,
                }
            )
            .Fit(data.Data);
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
            {
                throw new UsageException(
                    $"Option {decided.Name} does not go with --from: the model decides its network, input size "
                        + "and channels, and fine-tuning starts from its weights instead of pre-training."
                );
            }
        }
        string file = ModelArgument.Resolve(path);
        if (!File.Exists(file))
            throw new UsageException($"Model '{path}' (--from) does not exist.");
        return ml.Keypoints.LoadModel(file);
    }

    private static void PrintValidation(MLContext ml, ITransformer model, KeypointDataFile validation, string what)
    {
        var metrics = ml.Keypoints.Evaluate(model.Transform(validation.Data), validation.Layout);
        Console.WriteLine(
            string.Create(CultureInfo.InvariantCulture, $"{what}: RMSE {metrics.Rmse:F4} px, NME ")
                + (double.IsNaN(metrics.Nme) ? "undefined" : metrics.Nme.ToString("F4", CultureInfo.InvariantCulture))
        );
    }

    private static void SaveAtomically(MLContext ml, ITransformer model, DataViewSchema schema, string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp";
        ml.Model.Save(model, schema, temp);
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>
    /// Augmentation starts from <see cref="AugmentationOptions.Default"/>, or with <c>--no-augment</c> from every
    /// transform off. Each range option sets its transform's range and turns it on with probability 0.5 if it was off;
    /// <c>--augment-p</c> then sets the probability of every transform that is on. Out-of-range values fail in the
    /// trainer's validation.
    /// </summary>
    private AugmentationOptions ParseAugmentation(ParseResult options)
    {
        var augmentation = options.GetValue(noAugment) ? AugmentationOptions.None : AugmentationOptions.Default;
        SetTransformRanges(options, augmentation);
        if (options.GetValue(augmentProbability) is double probability)
        {
            if (!augmentation.IsEnabled)
            {
                throw new UsageException(
                    "Option --augment-p needs augmentation: drop --no-augment, or turn a transform on (--rotate, "
                        + "--scale, --shift, --brightness, --contrast, --blur)."
                );
            }

            augmentation.RotationProbability = Replace(augmentation.RotationProbability, probability);
            augmentation.ScaleProbability = Replace(augmentation.ScaleProbability, probability);
            augmentation.ShiftProbability = Replace(augmentation.ShiftProbability, probability);
            augmentation.BrightnessProbability = Replace(augmentation.BrightnessProbability, probability);
            augmentation.ContrastProbability = Replace(augmentation.ContrastProbability, probability);
            augmentation.BlurProbability = Replace(augmentation.BlurProbability, probability);
        }
        return augmentation;

        static double Replace(double current, double probability) => current > 0 ? probability : 0;
    }

    /// <summary>Each range option sets its transform's range and turns the transform on with probability 0.5 if it was
    /// off.</summary>
    private void SetTransformRanges(ParseResult options, AugmentationOptions augmentation)
    {
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
            (augmentation.MinBlurSigma, augmentation.MaxBlurSigma) = (
                Math.Min(augmentation.MinBlurSigma, sigma),
                sigma
            );
            augmentation.BlurProbability = TurnOn(augmentation.BlurProbability);
        }

        static double TurnOn(double current) => current > 0 ? current : 0.5;
    }

    private static KeypointArchitecture ParseArchitecture(string name) =>
        name switch
        {
            "mlp" => KeypointArchitecture.Mlp,
            "convnet3" => KeypointArchitecture.ConvNet3,
            "nouri-dropout" => KeypointArchitecture.NouriDropout,
            "conv2" => KeypointArchitecture.Conv2,
            "conv6" => KeypointArchitecture.Conv6,
            "resnet18" => KeypointArchitecture.ResNet18,
            "resnet18-pretrained" => KeypointArchitecture.ResNet18Pretrained,
            "resnet18-integral" => KeypointArchitecture.ResNet18Integral,
            _ => throw new UsageException($"Unknown --arch '{name}'; use {string.Join(", ", Architectures)}."),
        };

    /// <summary>Reads <c>MIN,MAX</c>: two numbers separated by a comma.</summary>
    private static (double Min, double Max)? ParseRange(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        string[] parts = text.Split(',');
        if (
            parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double max)
        )
        {
            return (min, max);
        }

        string name = result.Parent is OptionResult option ? option.Option.Name : "the option";
        result.AddError($"Option {name} expects MIN,MAX, got '{text}'.");
        return null;
    }
}
