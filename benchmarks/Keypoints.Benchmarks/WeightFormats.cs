using System.Diagnostics;
using System.Globalization;
using Keypoints.MLNet;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.Benchmarks;

/// <summary>Model M exported with float32, float16 and int8 weights (<see cref="OnnxWeightFormat"/>), each file loaded
/// back with
/// <c>ml.Keypoints.LoadModel</c> as an app would: its size, the time to load it and score one crop (the ONNX Runtime
/// session starts, folding the float16 casts), its accuracy on a labelled CSV (RMSE and NME of
/// <c>ml.Keypoints.Evaluate</c>, as
/// <c>keypoints evaluate</c> prints them) and its keypoint network's speed through ML.NET (<c>Transform</c> of fixed
/// pseudo-random crops, one ONNX Runtime run per row). Speed is the best of three rounds, the formats taking turns
/// within each round so that a busy machine slows them alike; the ratios are against float32 in the same run.</summary>
internal static class WeightFormats
{
    private const int Crops = 500;
    private const int Rounds = 3;

    /// <summary>Prints the table; returns the process exit code.</summary>
    public static int Run(string modelPath, string validationCsv)
    {
        var ml = new MLContext(seed: 1);
        var folder = Directory.CreateTempSubdirectory("keypoints-weights-");
        try
        {
            var files = new Dictionary<OnnxWeightFormat, string>();
            using (var original = ml.Keypoints.LoadModel(modelPath))
            {
                foreach (var format in Enum.GetValues<OnnxWeightFormat>())
                {
                    files[format] = Path.Combine(folder.FullName, $"{format}.onnx".ToLowerInvariant());
                    original.ExportOnnx(files[format], format);
                }
            }
            Console.WriteLine(
                $"model {modelPath}; validation {validationCsv}; {Environment.ProcessorCount} cores; load "
                    + $"{File.ReadAllText("/proc/loadavg").Trim()}"
            );
            // The first load in a process also compiles ML.NET's and ONNX Runtime's managed code; it is not a format's
            // cost.
            LoadAndScoreOne(ml, files[OnnxWeightFormat.Float32]).Dispose();
            var rows = new List<(OnnxWeightFormat Format, long Bytes, double LoadMs, double Rmse, double Nme)>();
            var models = new Dictionary<OnnxWeightFormat, IKeypointModel>();
            try
            {
                foreach (var (format, file) in files)
                {
                    var clock = Stopwatch.StartNew();
                    var model = LoadAndScoreOne(ml, file);
                    double loadMs = clock.Elapsed.TotalMilliseconds;
                    models[format] = model;
                    var data =
                        model is KeypointImageModel
                            ? (IDataView)ml.Data.Keypoints.LoadImageCsv(validationCsv)
                            : ml.Data.Keypoints.LoadFkdCsv(validationCsv);
                    var metrics = ml.Keypoints.Evaluate(model.Transform(data), model.Layout);
                    rows.Add((format, new FileInfo(file).Length, loadMs, metrics.Rmse, metrics.Nme));
                }
                var speed = Speeds(ml, models);
                Print(rows, speed);
            }
            finally
            {
                foreach (var model in models.Values)
                    model.Dispose();
            }
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static Dictionary<OnnxWeightFormat, double> Speeds(
        MLContext ml,
        Dictionary<OnnxWeightFormat, IKeypointModel> models
    )
    {
        var speed = models.Keys.ToDictionary(f => f, _ => 0.0);
        var views = models.ToDictionary(m => m.Key, m => CropView(ml, Network(m.Value), Crops));
        for (int round = 0; round < Rounds; round++)
        {
            foreach (var (format, model) in models)
            {
                var network = Network(model);
                var clock = Stopwatch.StartNew();
                CropScoring.Drain(network.Transform(views[format]), network.PredictedColumnName);
                speed[format] = Math.Max(speed[format], Crops / clock.Elapsed.TotalSeconds);
            }
        }
        return speed;
    }

    private static void Print(
        List<(OnnxWeightFormat Format, long Bytes, double LoadMs, double Rmse, double Nme)> rows,
        Dictionary<OnnxWeightFormat, double> speed
    )
    {
        var c = CultureInfo.InvariantCulture;
        var baseline = rows.Single(r => r.Format == OnnxWeightFormat.Float32);
        Console.WriteLine();
        Console.WriteLine(
            string.Create(
                c,
                $"{"weights", -8} {"bytes", 11} {"size", 6} {"load ms", 8} {"RMSE px", 8} {"NME", 7} {"crops/s", 8} "
                    + $"{"speed", 6}"
            )
        );
        foreach (var (format, bytes, loadMs, rmse, nme) in rows)
        {
            Console.WriteLine(
                string.Create(
                    c,
                    $"{format, -8} {bytes, 11} {(double)bytes / baseline.Bytes, 6:F3} {loadMs, 8:F0} {rmse, 8:F4} "
                        + $"{nme, 7:F4} {speed[format], 8:F0} {speed[format] / speed[OnnxWeightFormat.Float32], 6:F3}"
                )
            );
        }
        Console.WriteLine(
            $"size and speed: ratios against float32; crops/s: Transform of {Crops} crops through the keypoint "
                + $"network, best of {Rounds} rounds; "
                + "load ms: LoadModel and the first crop (the session starts), after a warm-up load."
        );
    }

    private static IKeypointModel LoadAndScoreOne(MLContext ml, string file)
    {
        var model = ml.Keypoints.LoadModel(file);
        var network = Network(model);
        CropScoring.Drain(network.Transform(CropView(ml, network, 1)), network.PredictedColumnName);
        return model;
    }

    private static KeypointCnnModel Network(IKeypointModel model) =>
        model as KeypointCnnModel ?? ((KeypointImageModel)model).Network;

    private static IDataView CropView(MLContext ml, KeypointCnnModel network, int count)
    {
        var metadata = network.Metadata;
        int length = metadata.Channels * metadata.Layout.ImageWidth * metadata.Layout.ImageHeight;
        var schema = SchemaDefinition.Create(typeof(CropRow));
        schema[0].ColumnName = metadata.InputColumnName;
        schema[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        var random = new Random(1);
        var rows = Enumerable
            .Range(0, count)
            .Select(_ => new CropRow
            {
                Pixels = Enumerable.Range(0, length).Select(_ => (float)random.Next(256)).ToArray(),
            })
            .ToArray();
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class CropRow
    {
        public float[] Pixels { get; set; } = [];
    }
}
