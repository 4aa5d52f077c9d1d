using System.Diagnostics;
using System.Globalization;
using Keypoints.MLNet;
using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Photos;
using Microsoft.ML;

namespace Keypoints.Benchmarks;

/// <summary>Photos per second end to end (<see cref="FaceKeypointsPredictor.Predict(string)"/>: decode, detect, frame
/// and crop, keypoint network, map back) on the distinct images of a photo CSV, with one thread and with two threads
/// scoring photos concurrently on the same predictor, and through the folder call that <c>faces --data</c> makes (<see
/// cref="FaceKeypointsPredictor.Predict(IReadOnlyList{string}, int)"/>), against decoding the same files alone (<see
/// cref="RgbImage.Load(string)"/>) with as many threads, in the same run. ONNX Runtime gets one intra-op thread in both
/// sessions, so one thread uses one core. After a warm-up pass (which creates the sessions' kernels), each figure is
/// the median of several passes over all the images; the stage times are summed over the measured passes of the
/// end-to-end runs.</summary>
internal static class PhotoThroughput
{
    private static readonly int[] ThreadCounts = [1, 2];

    /// <summary>Prints the tables; returns the process exit code.</summary>
    /// <param name="csvPath">A photo CSV (first column 'image').</param>
    /// <param name="model">A model file, or a shipped model's name (face68, kaggle15).</param>
    /// <param name="passes">Measured passes of each figure.</param>
    /// <param name="withChain">Whether to time the saveable ML.NET photo model too.</param>
    public static int Run(string csvPath, string model, int passes, bool withChain)
    {
        var ml = new MLContext(seed: 1);
        string modelPath =
            File.Exists(model) || !ml.Keypoints.Pretrained.Names.Contains(model)
                ? model
                : ml.Keypoints.Pretrained.FilePath(model);
        if (!File.Exists(csvPath) || !File.Exists(modelPath))
        {
            Console.Error.WriteLine($"error: {(File.Exists(csvPath) ? modelPath : csvPath)} not found.");
            return 1;
        }
        string folder = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        string[] files = File.ReadLines(csvPath)
            .Skip(1)
            .Select(line => Path.Combine(folder, line[..line.IndexOf(',', StringComparison.Ordinal)]))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        using var predictor = LoadPredictor(ml, modelPath, files[0]);
        Console.WriteLine(
            $"{files.Length} photos from {csvPath}; model {model}; {Environment.ProcessorCount} cores; median of "
                + $"{passes} passes after one warm-up pass; load {File.ReadAllText("/proc/loadavg").Trim()}"
        );

        var rows = new List<(int Threads, double Library, double Baseline, PhotoStageTimes Stages)>();
        foreach (int threads in ThreadCounts)
        {
            ForEachPhoto(files, threads, (file, _) => predictor.Predict(file));
            var stages = new PhotoStageTimes();
            var library = new List<double>();
            var decoding = new List<double>();
            for (int pass = 0; pass < passes; pass++)
            {
                var perThread = Enumerable.Range(0, threads).Select(_ => new PhotoStageTimes()).ToArray();
                library.Add(ForEachPhoto(files, threads, (file, thread) => predictor.Predict(file, perThread[thread])));
                decoding.Add(ForEachPhoto(files, threads, (file, _) => RgbImage.Load(file)));
                foreach (var times in perThread)
                    stages.Add(times);
            }
            rows.Add((threads, Median(library), Median(decoding), stages));
        }
        var folderRows = MeasureFolder(predictor, files, passes, rows);
        var chainRows = withChain ? MeasurePhotoModel(ml, modelPath, files, passes, rows) : [];

        PrintThroughput(rows, folderRows, chainRows);
        PrintStages(rows);
        return 0;
    }

    /// <summary>Photos per second through <see cref="FaceKeypointsPredictor.Predict(IReadOnlyList{string}, int)"/>, the
    /// call <c>faces --data</c> makes, against the decoding baselines measured above.</summary>
    private static List<(int Threads, double Library, double Baseline)> MeasureFolder(
        FaceKeypointsPredictor predictor,
        string[] files,
        int passes,
        List<(int Threads, double Library, double Baseline, PhotoStageTimes Stages)> predictorRows
    )
    {
        var result = new List<(int, double, double)>();
        foreach (var (threads, _, baseline, _) in predictorRows)
        {
            var perPass = new List<double>();
            for (int pass = 0; pass < passes; pass++)
            {
                var clock = Stopwatch.StartNew();
                predictor.Predict(files, threads);
                perPass.Add(files.Length / clock.Elapsed.TotalSeconds);
            }
            result.Add((threads, Median(perPass), baseline));
        }
        return result;
    }

    private static void PrintThroughput(
        List<(int Threads, double Library, double Baseline, PhotoStageTimes Stages)> rows,
        List<(int Threads, double Library, double Baseline)> folderRows,
        List<(int Threads, double Library, double Baseline)> chainRows
    )
    {
        Console.WriteLine();
        Console.WriteLine($"{"benchmark", -34} {"unit", -9} {"library", 10} {"baseline", 10} {"ratio", 7}");
        var named = rows.Select(r => ("Photos end to end", r.Threads, r.Library, r.Baseline))
            .Concat(folderRows.Select(r => ("Predict(paths, threads)", r.Threads, r.Library, r.Baseline)))
            .Concat(chainRows.Select(r => ("ML.NET photo model", r.Threads, r.Library, r.Baseline)));
        foreach (var (name, threads, library, baseline) in named)
        {
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{$"{name}, {threads} thread{(threads > 1 ? "s" : "")}", -34} {"photos/s", -9} "
                        + $"{library, 10:F1} {baseline, 10:F1} {library / baseline, 7:F3}"
                )
            );
        }
        Console.WriteLine("baseline: decoding the same JPEGs to RGB (RgbImage.Load) alone, with as many threads.");
        Console.WriteLine(
            "Photos end to end: Predict(path) from each thread; Predict(paths, threads): the photos in order on that "
                + "many threads (faces --data)."
        );
        if (chainRows.Count > 0)
        {
            Console.WriteLine(
                "ML.NET photo model: ml.Keypoints.PhotoModel (the saveable chain, one ONNX graph), a PredictionEngine "
                    + "per thread, ONNX Runtime's default threads."
            );
        }
    }

    private static void PrintStages(List<(int Threads, double Library, double Baseline, PhotoStageTimes Stages)> rows)
    {
        Console.WriteLine();
        Console.WriteLine(
            $"{"stage (ms of one thread per photo)", -34} "
                + $"{string.Join(' ', rows.Select(r => $"{r.Threads + (r.Threads > 1 ? " threads" : " thread"), 12}"))}"
        );
        foreach (
            var (name, ticks) in new (string, Func<PhotoStageTimes, long>)[]
            {
                ("decode", s => s.Decode),
                ("detect", s => s.Detect),
                ("frame and crop", s => s.Crop),
                ("keypoint network", s => s.Network),
                ("map back", s => s.MapBack),
                ("sum of stages", s => s.Decode + s.Detect + s.Crop + s.Network + s.MapBack),
            }
        )
        {
            Console.WriteLine(
                $"{name, -34} "
                    + string.Join(' ', rows.Select(r => Cell(Milliseconds(ticks(r.Stages), r.Stages.Photos), "F3")))
            );
        }
        Console.WriteLine(
            $"{"faces per photo", -34} "
                + string.Join(' ', rows.Select(r => Cell((double)r.Stages.Faces / r.Stages.Photos, "F2")))
        );
        Console.WriteLine(
            "Stage times are each thread's own wall-clock time inside the stage, so with two threads they include "
                + "waiting for the other's core."
        );
    }

    /// <summary>Photos per second through the saveable ML.NET chain (<see cref="KeypointPhotoModel"/>), one
    /// PredictionEngine per thread, against the decoding baselines measured above.</summary>
    private static List<(int Threads, double Library, double Baseline)> MeasurePhotoModel(
        MLContext ml,
        string modelPath,
        string[] files,
        int passes,
        List<(int Threads, double Library, double Baseline, PhotoStageTimes Stages)> predictorRows
    )
    {
        using var model = ml.Keypoints.LoadModel(modelPath);
        using var photos = ml.Keypoints.PhotoModel(model);
        var result = new List<(int, double, double)>();
        // The engines live until the end: disposing a PredictionEngine disposes the ONNX session its model shares
        // (issue 13).
        var engines = Enumerable
            .Range(0, predictorRows.Max(r => r.Threads))
            .Select(_ => ml.Model.CreatePredictionEngine<PhotoPath, PhotoFaceCount>(photos))
            .ToArray();
        foreach (var (threads, _, baseline, _) in predictorRows)
        {
            ForEachPhoto(files, threads, (file, thread) => engines[thread].Predict(new PhotoPath { ImagePath = file }));
            var perPass = new List<double>();
            for (int pass = 0; pass < passes; pass++)
            {
                perPass.Add(
                    ForEachPhoto(files, threads, (file, thread) =>
                        engines[thread].Predict(new PhotoPath { ImagePath = file })
                    )
                );
            }

            result.Add((threads, Median(perPass), baseline));
        }
        foreach (var engine in engines)
            engine.Dispose();
        return result;
    }

    /// <summary>The predictor with one ONNX Runtime thread per session, printing how long loading the model, starting
    /// the sessions and the first photo took.</summary>
    private static FaceKeypointsPredictor LoadPredictor(MLContext ml, string modelPath, string firstPhoto)
    {
        var clock = Stopwatch.StartNew();
        using var model = ml.Keypoints.LoadModel(modelPath);
        double loaded = clock.Elapsed.TotalMilliseconds;
        var predictor = ml.Keypoints.Photos(
            model,
            new PhotoKeypointsOptions
            {
                Detector = new FaceDetectorOptions { IntraOpThreads = 1 },
                NetworkIntraOpThreads = 1,
            }
        );
        double started = clock.Elapsed.TotalMilliseconds;
        predictor.Predict(firstPhoto);
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"start-up in this process: LoadModel {loaded:F0} ms, Photos (the detector's and the network's "
                    + $"sessions) {started - loaded:F0} ms, the first photo "
                    + $"{clock.Elapsed.TotalMilliseconds - started:F0} ms"
            )
        );
        return predictor;
    }

    /// <summary>Runs <paramref name="score"/> on every file, the files shared out to <paramref name="threads"/> threads
    /// in order (as <c>Predict(paths, threads)</c> shares them); returns files per second.</summary>
    private static double ForEachPhoto(string[] files, int threads, Action<string, int> score)
    {
        var clock = Stopwatch.StartNew();
        OrderedPhotoLoop.Map(files, threads, (file, thread) =>
        {
            score(file, thread);
            return 0;
        });
        return files.Length / clock.Elapsed.TotalSeconds;
    }

    private static double Milliseconds(long ticks, int photos) => ticks * 1000.0 / Stopwatch.Frequency / photos;

    private static double Median(List<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed class PhotoPath
    {
        public string ImagePath { get; set; } = "";
    }

    private sealed class PhotoFaceCount
    {
        public float[] FaceCount { get; set; } = [];
    }

    /// <summary>A 12-character right-aligned table cell, invariant culture.</summary>
    private static string Cell(double value, string format) =>
        value.ToString(format, CultureInfo.InvariantCulture).PadLeft(12);
}
