using Keypoints.MLNet.Data;
using Keypoints.Samples;
using Keypoints.Samples.Commands;

const string Usage = """
    usage:
      train    [--data training.csv] [--validation validation.csv]
               [--arch mlp|convnet3|nouri-dropout|conv2|conv6|resnet18] [--optimizer adam|nesterov]
               [--epochs N] [--max-minutes M] [--batch-size B] [--seed S] [--out model.zip]
               [--checkpoints DIR (default: beside --out)] [--resume]
               [--pretrain-epochs N] [--pretrain-noise SIGMA]
               [--augment] [--rotate DEG] [--scale MIN,MAX] [--shift FRAC] [--brightness DELTA]
               [--contrast MIN,MAX] [--blur SIGMA_MAX] [--augment-p P]
               --augment turns on the default per-batch augmentation: rotation within ±15 degrees, scale 0.9 to 1.1,
               shift within ±0.05 of the image size, brightness within ±0.1 (normalized pixel units), contrast 0.8
               to 1.2, each with probability 0.5, and blur sigma 0.5 to 1.5 px with probability 0.2. Each of --rotate,
               --scale, --shift, --brightness, --contrast, --blur sets that transform's range and turns it on
               (probability 0.5 if it was off); --augment-p P sets the probability of every transform that is on.
               --pretrain-epochs N first pre-trains the convolutional layers for N epochs as a denoising autoencoder
               (reconstructing every training image from a copy with Gaussian noise of SIGMA, default 0.2 in [0, 1]
               pixel units); not with --arch mlp, and not again when --resume finds a checkpoint.
      evaluate --model model.zip --data validation.csv
      submit   --model model.zip --test test.csv --lookup IdLookupTable.csv --out submission.csv
    """;

if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(Usage);
    return args.Length == 0 ? 2 : 0;
}

try
{
    var options = new CommandLine(args[1..]);
    return args[0] switch
    {
        "train" => TrainCommand.Run(options),
        "evaluate" => EvaluateCommand.Run(options),
        "submit" => SubmitCommand.Run(options),
        _ => throw new UsageException($"Unknown command '{args[0]}'; use train, evaluate or submit."),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (Exception e) when (e is KeypointDataException or FileNotFoundException or DirectoryNotFoundException
    or ArgumentException or InvalidOperationException or InvalidDataException)
{
    // ArgumentOutOfRangeException puts "Actual value was ..." on a second line; scripts expect one error line.
    Console.Error.WriteLine($"error: {e.Message.ReplaceLineEndings(" ")}");
    return 1;
}
