using Keypoints.MLNet.Data;
using Keypoints.Samples;
using Keypoints.Samples.Commands;

const string Usage = """
    usage:
      --data takes either CSV layout: Kaggle's (keypoint columns and an Image column of grey levels) or image files
      (first column 'image', a path relative to the CSV's folder, then x0,y0,... or <name>_x,<name>_y pairs).
      train    [--data training.csv] [--validation validation.csv] [--input-size N (image files; default 96)] [--color]
               [--arch mlp|convnet3|nouri-dropout|conv2|conv6|resnet18] [--optimizer adam|nesterov]
               [--epochs N] [--max-minutes M] [--batch-size B] [--seed S] [--out model.zip]
               [--learning-rate LR] [--lr-decay FACTOR (Adam, per epoch; default 0.98)] [--patience EPOCHS (default 30)]
               [--weight-decay L2] [--checkpoints DIR (default: beside --out)] [--resume]
               [--specialists] [--specialist-epochs N] [--specialist-minutes M] [--specialist-learning-rate LR] [--tta]
               [--no-flip (do not mirror half of every training batch)]
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
               --specialists then fine-tunes one copy of the network per keypoint group (Nouri's six), each limited by
               --specialist-epochs (default 100) and --specialist-minutes, starting at --specialist-learning-rate
               (default the rate of the base network's kept epoch). --tta makes the saved model average every
               prediction with the un-mirrored prediction of the mirrored face. With validation data, train ends by
               printing the saved model's validation RMSE and NME (and, with --tta, those without the flip).
      evaluate --model model.zip --data validation.csv [--sheet DIR]
               --sheet (image files) writes DIR/best.png and DIR/worst.png: the best and worst 16 faces by RMSE,
               predicted points red, true points green
      predict  --model model.zip --image face.jpg --out overlay.png [--names]
      predict  --model model.zip --data file.csv --out predictions.csv
               --image draws the predicted points (and with --names their names) on the original image; --data writes
               every row's predicted coordinates in pixels of its original image
      submit   --model model.zip --test test.csv --lookup IdLookupTable.csv --out submission.csv
      plot     --model model.zip|model.onnx --out DIR
               writes DIR/learning-curves.png (train loss and validation RMSE per epoch) and DIR/kernels.png
               (the first convolution layer's kernels; not for the mlp, which has none)
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
        "predict" => PredictCommand.Run(options),
        "submit" => SubmitCommand.Run(options),
        "plot" => PlotCommand.Run(options),
        _ => throw new UsageException($"Unknown command '{args[0]}'; use train, evaluate, predict, submit or plot."),
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
