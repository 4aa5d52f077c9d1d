using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Keypoints.Cli;
using Keypoints.Cli.Commands;

var verbose = new Option<bool>("--verbose")
{
    Description = "On an error, also print the exception's type and stack trace",
    Recursive = true,
};
var root = new RootCommand(
    """
    Facial keypoint detection with ML.NET and TorchSharp: train a keypoint CNN, evaluate it, predict, write a Kaggle
    submission, plot its training, show what a saved model records, export it as ONNX (float32, float16 or int8
    weights), find every face's keypoints in photos, and serve them over HTTP.
    --data takes either CSV layout: Kaggle's (keypoint columns and an Image column of grey levels) or image files (first
    column 'image', a path relative to the CSV's folder, then x0,y0,... or <name>_x,<name>_y pairs).
    """
)
{
    verbose,
    new TrainCommand(),
    new EvaluateCommand(),
    new PredictCommand(),
    new FacesCommand(),
    new PhotoModelCommand(),
    new ServeCommand(),
    new SubmitCommand(),
    new PlotCommand(),
    new InfoCommand(),
    new ExportCommand(),
};

// Help piped to a file or a pager wraps at 120 columns instead of not at all (docs/cli.md holds it so).
if (Console.IsOutputRedirected && root.Options.OfType<HelpOption>().Single().Action is HelpAction help)
    help.MaxWidth = 120;

if (args.Length == 0)
{
    root.Parse(["--help"]).Invoke();
    return 2;
}

var parsed = root.Parse(args);
if (parsed.Action is ParseErrorAction)
{
    // One line, like every other error of the CLI; `--help` on the command lists what it takes.
    string message = CliError
        .From(new UsageException(string.Join(' ', parsed.Errors.Select(e => e.Message).Distinct())))!
        .Message;
    Console.Error.WriteLine($"error: {message}");
    return 2;
}

try
{
    return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception e)
{
    var error = CliError.From(e);
    Console.Error.WriteLine(
        error is null ? $"error: unexpected {e.GetType().Name}: {e.Message}" : $"error: {error.Message}"
    );
    if (error is null || parsed.GetValue(verbose))
        Console.Error.WriteLine(e);
    return error?.ExitCode ?? 1;
}
