// Benchmarks of Keypoints.MLNet against baselines measured in the same run, printed as ratios.
// Usage: dotnet run -c Release --project benchmarks/Keypoints.Benchmarks [-- --data ../shared/data/fkd --epochs 2]
using System.Diagnostics;
using System.Globalization;
using Keypoints.Benchmarks;
using Keypoints.MLNet;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Runtime;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

var dataFolder = Argument("--data") ?? Path.Combine("..", "shared", "data", "fkd");
int epochs = int.Parse(Argument("--epochs") ?? "2", CultureInfo.InvariantCulture);
var trainingCsv = Path.Combine(dataFolder, "training.csv");
var validationCsv = Path.Combine(dataFolder, "validation.csv");
if (!File.Exists(trainingCsv))
{
    Console.Error.WriteLine($"error: {trainingCsv} not found; run from the repository root or pass --data FOLDER.");
    return 1;
}
TorchRuntime.EnsureInitialized();
Console.WriteLine($"allocator tuned by the library: {TorchRuntime.AllocatorTuned}; {Environment.ProcessorCount} cores; torch threads {TorchSharp.torch.get_num_threads()}");
var ml = new MLContext(seed: 1);
var results = new List<(string Name, string Unit, double Library, double Baseline)>();

// 1. CSV load: the library's streaming cursor (both columns parsed) vs reading the file's lines without parsing.
double megabytes = new FileInfo(trainingCsv).Length / 1e6;
double baselineLoad = Best(3, () => { foreach (var _ in File.ReadLines(trainingCsv)) { } }, megabytes);
double libraryLoad = Best(3, () => Drain(ml.Data.Keypoints.LoadFkdCsv(trainingCsv)), megabytes);
results.Add(("CSV load, training.csv", "MB/s", libraryLoad, baselineLoad));

// 2. Training: the library's Fit (no validation, so epochs are pure training) vs a plain TorchSharp loop, alternated.
var data = ml.Data.Keypoints.LoadFkdCsv(trainingCsv);
double library = 0, plain = 0;
for (int round = 0; round < 2; round++)
{
    var options = new KeypointCnnTrainer.Options { MaxEpochs = epochs, ValidationFraction = 0, Seed = 1 };
    using (var model = ml.Keypoints.Trainers.Cnn(options).Fit(data))
        library = Math.Max(library, AfterWarmUp(model.History.Select(h => h.ImagesPerSecond)));
    plain = Math.Max(plain, PlainLoop(data, epochs));
}
results.Add(("Training ConvNet3, batch 128", "images/s", library, plain));

// 3. Scoring: Transform through ML.NET's ONNX transformer vs ONNX Runtime called directly on the same graph, one image at a time.
var validation = ml.Data.Keypoints.LoadFkdCsv(validationCsv);
using var scorer = ml.Keypoints.Trainers.Cnn(new KeypointCnnTrainer.Options { MaxEpochs = 1, ValidationFraction = 0, Seed = 1 })
    .Fit(ml.Data.TakeRows(data, 256));
int rows = (int)validation.Preview(100000).RowView.Length;
double transform = Best(3, () => DrainColumn(scorer.Transform(validation), "PredictedKeypoints"), rows);
var images = ReadImages(validation);
using var session = new InferenceSession(scorer.OnnxGraph.ToArray());
double direct = Best(3, () =>
{
    foreach (var image in images)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(image, [1, image.Length]);
        using var runOptions = new RunOptions();
        using var output = session.Run(runOptions, ["Image"], [input], ["PredictedKeypoints"]);
    }
}, rows);
results.Add(("Scoring validation.csv via Transform", "images/s", transform, direct));

Console.WriteLine();
Console.WriteLine($"{"benchmark",-40} {"unit",-9} {"library",10} {"baseline",10} {"ratio",7}");
foreach (var (name, unit, lib, baseline) in results)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} {unit,-9} {lib,10:F1} {baseline,10:F1} {lib / baseline,7:F3}"));
Console.WriteLine("baselines: CSV = reading lines without parsing; training = plain TorchSharp loop, same net, batch, data, masked loss and flips; scoring = ONNX Runtime session on the same graph.");
return 0;

string? Argument(string name) => Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

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
    var getters = view.Schema.Where(c => c.Type is VectorDataViewType).Select(c => cursor.GetGetter<VBuffer<float>>(c)).ToArray();
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

// The first epoch pays one-off costs (allocator warm-up, kernel selection) on both sides; it is left out when there are more.
static double AfterWarmUp(IEnumerable<double> epochRates)
{
    var rates = epochRates.ToArray();
    return rates.Length > 1 ? rates.Skip(1).Average() : rates[0];
}

static double PlainLoop(IDataView data, int epochs)
{
    var images = new List<float>();
    var targets = new List<float>();
    var mask = new List<float>();
    using (var cursor = data.GetRowCursor(data.Schema))
    {
        var getImage = cursor.GetGetter<VBuffer<float>>(data.Schema["Image"]);
        var getLabel = cursor.GetGetter<VBuffer<float>>(data.Schema["Keypoints"]);
        VBuffer<float> image = default, label = default;
        while (cursor.MoveNext())
        {
            getImage(ref image);
            getLabel(ref label);
            images.AddRange(image.DenseValues().Select(v => v / 255f));
            foreach (var v in label.DenseValues())
            {
                targets.Add(float.IsNaN(v) ? 0 : (v - 48) / 48);
                mask.Add(float.IsNaN(v) ? 0 : 1);
            }
        }
    }
    int rows = targets.Count / 30;
    using var x = TorchSharp.torch.tensor(images.ToArray(), [rows, 1, 96, 96]);
    using var y = TorchSharp.torch.tensor(targets.ToArray(), [rows, 30]);
    using var m = TorchSharp.torch.tensor(mask.ToArray(), [rows, 30]);
    return AfterWarmUp(PlainTorchLoop.ImagesPerSecond(x, y, m, 128, epochs, 1));
}
