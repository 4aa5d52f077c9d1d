// Benchmarks of Keypoints.MLNet against baselines measured in the same run, printed as ratios.
// Usage: dotnet run -c Release --project benchmarks/Keypoints.Benchmarks
//   [-- --data ../shared/data/fkd --images-data ../shared/data/landmarks68 --networks mlp,convnet3 --images 512
// --epochs 3] --networks: the architectures whose training is measured (default all; none for only the loading and
// scoring figures); --images: training rows per epoch (default 512); --epochs: epochs per training run, the first a
// warm-up left out (default 3). -- --calibrate-eyes ../shared/data/landmarks68/train.csv: instead, measures the face
// detector's eye calibration (Photos/DetectorEyeCalibration.Default) on those training images and prints it.
// -- --photos ../shared/data/photos/scenes.csv --model M [--passes 5] [--pipeline-only]: instead, photos per second
// end to end (FaceKeypointsPredictor: decode, detect, frame and crop, keypoint network, map back) on the CSV's
// distinct images with model M (a file or a shipped model's name), one thread and two threads on the same predictor
// (ONNX Runtime at one intra-op thread per session), and through Predict(paths, threads), each against decoding the
// same JPEGs alone, the median of --passes passes after a warm-up pass, with the time per stage and the start-up; and
// the saveable ML.NET photo model, unless --pipeline-only.
// -- --serve --model M [--cli src/Keypoints.Cli/bin/Release/net10.0/Keypoints.Cli.dll] [--scenes
// ../shared/data/photos/scenes] [--clients 8] [--seconds 60] [--max-seconds 300] [--requests 10000]: instead, load on
// `keypoints serve` over loopback (ServeLoad): the CLI's server as a child process, clients posting the scene photos,
// good only until --seconds and --requests, then 1 in 10 bad for --seconds; requests/s, p50/p99 latency, errors, the
// server's resident memory every 1,000 requests. Build the CLI first. -- --crops --model M: instead, crops per second
// in one process (CropScoring): PredictionEngine, the pooled CropKeypointsPredictor and Transform, against a raw ONNX
// Runtime session on the same graph. -- --weights M VALIDATION.csv: instead, model M exported with float32, float16 and
// int8 weights (WeightFormats): for each, file size, load time, RMSE and NME on the labelled CSV (as `keypoints
// evaluate`), crops per second through ML.NET, ratios against float32.
// -- --cold-start [--model face68] [--image samples/astronaut-640x480.jpg] [--cli
// src/Keypoints.Cli/bin/Release/net10.0/Keypoints.Cli] [--runs 10]: instead, `keypoints faces --model M --image I --out
// overlay.png` as a fresh process against the face detector alone as a fresh process (this program with --detect-once
// I) and against `keypoints --version` (ColdStart). Build the CLI first.
using System.Diagnostics;
using System.Globalization;
using Keypoints.Benchmarks;
using Keypoints.MLNet;
using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Runtime;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

if (Argument("--calibrate-eyes") is { } calibrationCsv)
    return EyeCalibrationMeasurement.Run(calibrationCsv);
if (Argument("--photos") is { } photosCsv)
{
    if (
        Argument("--model") is not { } photoModel
        || int.Parse(Argument("--passes") ?? "5", CultureInfo.InvariantCulture) is not (> 0 and var photoPasses)
    )
    {
        Console.Error.WriteLine(
            "error: --photos needs --model MODEL (a keypoint model file or a shipped model's name) and --passes N of "
                + "at least 1."
        );
        return 1;
    }
    return PhotoThroughput.Run(photosCsv, photoModel, photoPasses, withChain: !args.Contains("--pipeline-only"));
}
if (args.Contains("--serve"))
{
    if (Argument("--model") is not { } serveModel)
    {
        Console.Error.WriteLine("error: --serve needs --model MODEL (a keypoint model zip).");
        return 1;
    }
    string cli = Argument("--cli")
        ?? Path.Combine("src", "Keypoints.Cli", "bin", "Release", "net10.0", "Keypoints.Cli.dll");
    string scenes = Argument("--scenes") ?? Path.Combine("..", "shared", "data", "photos", "scenes");
    return ServeLoad.Run(
        cli,
        serveModel,
        scenes,
        int.Parse(Argument("--clients") ?? "8", CultureInfo.InvariantCulture),
        int.Parse(Argument("--seconds") ?? "60", CultureInfo.InvariantCulture),
        int.Parse(Argument("--max-seconds") ?? "300", CultureInfo.InvariantCulture),
        int.Parse(Argument("--requests") ?? "10000", CultureInfo.InvariantCulture)
    );
}
if (args.Contains("--crops"))
{
    if (Argument("--model") is not { } cropModel)
    {
        Console.Error.WriteLine("error: --crops needs --model MODEL (a keypoint model zip).");
        return 1;
    }
    return CropScoring.Run(cropModel);
}
if (Array.IndexOf(args, "--weights") is int weightsAt and >= 0)
{
    if (weightsAt + 2 >= args.Length)
    {
        Console.Error.WriteLine(
            "error: --weights needs MODEL (a keypoint model zip or .onnx) and VALIDATION.csv (a labelled CSV of its "
                + "layout)."
        );
        return 1;
    }
    return WeightFormats.Run(args[weightsAt + 1], args[weightsAt + 2]);
}
if (Argument("--detect-once") is { } detectImage)
    return ColdStart.DetectOnce(detectImage);
if (args.Contains("--cold-start"))
{
    return ColdStart.Run(
        Argument("--cli") ?? Path.Combine("src", "Keypoints.Cli", "bin", "Release", "net10.0", "Keypoints.Cli"),
        Argument("--model") ?? "face68",
        Argument("--image") ?? Path.Combine("samples", "astronaut-640x480.jpg"),
        int.Parse(Argument("--runs") ?? "10", CultureInfo.InvariantCulture)
    );
}
string dataFolder = Argument("--data") ?? Path.Combine("..", "shared", "data", "fkd");
string imagesFolder = Argument("--images-data") ?? Path.Combine("..", "shared", "data", "landmarks68");
int epochs = int.Parse(Argument("--epochs") ?? "3", CultureInfo.InvariantCulture);
int trainingRows = int.Parse(Argument("--images") ?? "512", CultureInfo.InvariantCulture);
string[] networkNames = (Argument("--networks") ?? string.Join(',', Enum.GetNames<KeypointArchitecture>()))
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
    .Where(n => !n.Equals("none", StringComparison.OrdinalIgnoreCase))
    .ToArray();
var networks = Enum.GetValues<KeypointArchitecture>()
    .Where(a => networkNames.Contains(a.ToString(), StringComparer.OrdinalIgnoreCase))
    .ToArray();
if (
    networkNames.FirstOrDefault(n =>
        !Enum.GetNames<KeypointArchitecture>().Contains(n, StringComparer.OrdinalIgnoreCase)
    ) is
    { } unknown
)
{
    Console.Error.WriteLine(
        $"error: unknown network '{unknown}' in --networks; known: "
            + $"{string.Join(", ", Enum.GetNames<KeypointArchitecture>())}."
    );
    return 1;
}
if (epochs < 2 || trainingRows < TrainingThroughput.BatchSize)
{
    Console.Error.WriteLine(
        $"error: --epochs must be at least 2 (the first is a warm-up) and --images at least "
            + $"{TrainingThroughput.BatchSize} (one batch)."
    );
    return 1;
}
string trainingCsv = Path.Combine(dataFolder, "training.csv");
string validationCsv = Path.Combine(dataFolder, "validation.csv");
if (!File.Exists(trainingCsv))
{
    Console.Error.WriteLine($"error: {trainingCsv} not found; run from the repository root or pass --data FOLDER.");
    return 1;
}
TorchRuntime.EnsureInitialized();
Console.WriteLine(
    $"allocator tuned by the library: {TorchRuntime.AllocatorTuned}; {Environment.ProcessorCount} cores; torch "
        + $"threads {TorchSharp.torch.get_num_threads()}"
);
var ml = new MLContext(seed: 1);
var results = new List<(string Name, string Unit, double Library, double Baseline)>();

// 1. CSV load: the library's streaming cursor (both columns parsed) vs reading the file's lines without parsing.
double megabytes = new FileInfo(trainingCsv).Length / 1e6;
double baselineLoad = Best(
    3,
    () =>
    {
        foreach (string _ in File.ReadLines(trainingCsv)) { }
    },
    megabytes
);
double libraryLoad = Best(3, () => Drain(ml.Data.Keypoints.LoadFkdCsv(trainingCsv)), megabytes);
results.Add(("CSV load, training.csv", "MB/s", libraryLoad, baselineLoad));

// 2. Training: for each network, the library's Fit (no validation, so epochs are pure training) vs a plain TorchSharp
// loop over the same module and rows, alternated.
var data = ml.Data.Keypoints.LoadFkdCsv(trainingCsv);
var trainingSubset = ml.Data.TakeRows(data, trainingRows);
foreach (var network in networks)
{
    var (library, plain) = TrainingThroughput.Measure(ml, trainingSubset, network, epochs, rounds: 2);
    results.Add(($"Training {network}, batch {TrainingThroughput.BatchSize}", "images/s", library, plain));
    Console.WriteLine(
        string.Create(
            CultureInfo.InvariantCulture,
            $"measured {network}: library {library:F1}, plain {plain:F1} images/s"
        )
    );
}

// 3. Scoring: Transform through ML.NET's ONNX transformer vs ONNX Runtime called directly on the same graph, one image
// at a time.
var validation = ml.Data.Keypoints.LoadFkdCsv(validationCsv);
using var scorer = ml
    .Keypoints.Trainers.Cnn(
        new KeypointCnnTrainer.Options
        {
            Architecture = KeypointArchitecture.ConvNet3,
            ValidationFraction = 0,
            Seed = 1,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = 1 },
            TimeBudget = { MaxTrainingTime = null },
        }
    )
    .Fit(ml.Data.TakeRows(data, 256));
int rows = (int)validation.Preview(100000).RowView.Length;
double transform = Best(3, () => DrainColumn(scorer.Transform(validation), "PredictedKeypoints"), rows);
var images = ReadImages(validation);
using var session = new InferenceSession(scorer.OnnxGraph.ToArray());
double direct = Best(
    3,
    () =>
    {
        foreach (float[] image in images)
        {
            using var input = OrtValue.CreateTensorValueFromMemory(image, [1, image.Length]);
            using var runOptions = new RunOptions();
            using var output = session.Run(runOptions, ["Image"], [input], ["PredictedKeypoints"]);
        }
    },
    rows
);
results.Add(("Scoring validation.csv via Transform", "images/s", transform, direct));

// 4. Scoring image files: Transform of a model trained on landmarks68 image files (decoding, resize, network, mapping
// back to the original pixels) vs decoding the same JPEGs alone, so the ratio is the share of the time that is
// decoding.
string imageCsv = Path.Combine(imagesFolder, "validation.csv");
if (File.Exists(imageCsv))
{
    var imageFaces = ml.Data.Keypoints.LoadImageCsv(imageCsv);
    var imageOptions = new KeypointImageTrainer.Options();
    imageOptions.Network.Architecture = KeypointArchitecture.ConvNet3;
    imageOptions.Network.Augmentation = AugmentationOptions.None;
    imageOptions.Network.TestTimeFlip = false;
    imageOptions.Network.TimeBudget.MaxTrainingTime = null;
    imageOptions.Network.Schedule.MaxEpochs = 1;
    imageOptions.Network.ValidationFraction = 0;
    imageOptions.Network.Seed = 1;
    using var imageScorer = ml
        .Keypoints.Trainers.CnnOnImages(imageOptions)
        .Fit(ml.Data.TakeRows(ml.Data.Keypoints.LoadImageCsv(Path.Combine(imagesFolder, "train.csv")), 256));
    string[] files = File.ReadLines(imageCsv)
        .Skip(1)
        .Select(line => Path.Combine(imagesFolder, line[..line.IndexOf(',', StringComparison.Ordinal)]))
        .ToArray();
    double fromFiles = Best(
        3,
        () => DrainColumn(imageScorer.Transform(imageFaces), "PredictedKeypoints"),
        files.Length
    );
    double decodeOnly = Best(
        3,
        () =>
        {
            foreach (string? file in files)
                SkiaSharp.SKBitmap.Decode(file).Dispose();
        },
        files.Length
    );
    results.Add(("Scoring image files via Transform", "images/s", fromFiles, decodeOnly));
}
else
{
    Console.WriteLine($"{imageCsv} not found; image-file scoring skipped (--images-data FOLDER).");
}

Console.WriteLine();
Console.WriteLine($"{"benchmark", -40} {"unit", -9} {"library", 10} {"baseline", 10} {"ratio", 7}");
foreach (var (name, unit, lib, baseline) in results)
{
    Console.WriteLine(
        string.Create(
            CultureInfo.InvariantCulture,
            $"{name, -40} {unit, -9} {lib, 10:F1} {baseline, 10:F1} {lib / baseline, 7:F3}"
        )
    );
}

Console.WriteLine(
    "baselines: CSV = reading lines without parsing; training = plain TorchSharp loop, same module, batch, data, "
        + "Adam, masked loss and flips"
);
Console.WriteLine(
    $"  ({trainingRows} rows per epoch, best epoch of 2 runs of {epochs} epochs, the first epoch of each left out); "
        + $"scoring = ONNX Runtime session on the same graph;"
);
Console.WriteLine("  image files = decoding the same JPEGs with SkiaSharp and nothing else.");
return 0;

string? Argument(string name) =>
    Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static double Best(int repeats, Action action, double units)
{
    double best = 0;
    for (int r = 0; r < repeats; r++)
    {
        var clock = Stopwatch.StartNew();
        action();
        best = Math.Max(best, units / clock.Elapsed.TotalSeconds);
    }
    return best;
}

static void Drain(IDataView view)
{
    using var cursor = view.GetRowCursor(view.Schema);
    var getters = view
        .Schema.Where(c => c.Type is VectorDataViewType)
        .Select(c => cursor.GetGetter<VBuffer<float>>(c))
        .ToArray();
    VBuffer<float> buffer = default;
    while (cursor.MoveNext())
    {
        foreach (var getter in getters)
            getter(ref buffer);
    }
}

static void DrainColumn(IDataView view, string column)
{
    using var cursor = view.GetRowCursor([view.Schema[column]]);
    var getter = cursor.GetGetter<VBuffer<float>>(view.Schema[column]);
    VBuffer<float> buffer = default;
    while (cursor.MoveNext())
        getter(ref buffer);
}

static List<float[]> ReadImages(IDataView view)
{
    var list = new List<float[]>();
    using var cursor = view.GetRowCursor([view.Schema["Image"]]);
    var getter = cursor.GetGetter<VBuffer<float>>(view.Schema["Image"]);
    VBuffer<float> buffer = default;
    while (cursor.MoveNext())
    {
        getter(ref buffer);
        list.Add(buffer.DenseValues().ToArray());
    }
    return list;
}
