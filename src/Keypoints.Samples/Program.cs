using Keypoints.MLNet.Data;
using Keypoints.Samples;
using Keypoints.Samples.Commands;

const string Usage = """
    usage:
      train    [--data training.csv] [--validation validation.csv]
               [--arch mlp|convnet3|nouri-dropout|conv2|conv6|resnet18] [--optimizer adam|nesterov]
               [--epochs N] [--max-minutes M] [--batch-size B] [--seed S] [--out model.zip]
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
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}
