using System.Diagnostics;
using System.Globalization;
using Keypoints.MLNet;
using Keypoints.MLNet.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace Keypoints.Benchmarks;

/// <summary>Crops per second in one process with model M's keypoint network: ML.NET's prediction engine one crop at a
/// time (<c>ml.Keypoints.CreatePredictionEngine</c>), the pooled <see cref="CropKeypointsPredictor"/> from one and two
/// threads, and
/// <c>Transform</c> over the whole batch, each against a raw ONNX Runtime session on the same graph (one crop at a
/// time, and batches of 64). The crops are fixed pseudo-random pixels: a CNN's time does not depend on what the pixels
/// show. Each figure is the best of three passes after a warm-up pass.</summary>
internal static class CropScoring
{
    private const int Crops = 1000;
    private const int SessionBatch = 64;

    /// <summary>Prints the table; returns the process exit code.</summary>
    public static int Run(string modelPath)
    {
        var ml = new MLContext(seed: 1);
        using var loaded = ml.Keypoints.LoadModel(modelPath);
        var network = loaded as KeypointCnnModel ?? ((KeypointImageModel)loaded).Network;
        var metadata = network.Metadata;
        int length = metadata.Channels * metadata.Layout.ImageWidth * metadata.Layout.ImageHeight;
        var random = new Random(1);
        float[][] crops = Enumerable
            .Range(0, Crops)
            .Select(_ => Enumerable.Range(0, length).Select(_ => (float)random.Next(256)).ToArray())
            .ToArray();
        Console.WriteLine(
            $"{Crops} crops of {metadata.Channels} x {metadata.Layout.ImageHeight} x {metadata.Layout.ImageWidth}; "
                + $"model {modelPath}; {Environment.ProcessorCount} cores; load "
                + $"{File.ReadAllText("/proc/loadavg").Trim()}"
        );

        using var session = new InferenceSession(network.OnnxGraph.ToArray());
        double rawSingle = Best(() =>
        {
            foreach (float[]? crop in crops)
                RunSession(session, metadata.InputColumnName, metadata.OutputColumnName, crop, 1, length);
        });
        double rawBatch = Best(() =>
        {
            for (int start = 0; start < Crops; start += SessionBatch)
            {
                int count = Math.Min(SessionBatch, Crops - start);
                float[] input = new float[count * length];
                for (int i = 0; i < count; i++)
                    crops[start + i].CopyTo(input, i * length);
                RunSession(session, metadata.InputColumnName, metadata.OutputColumnName, input, count, length);
            }
        });

        var schema = SchemaDefinition.Create(typeof(CropRow));
        schema[0].ColumnName = metadata.InputColumnName;
        schema[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        var outputSchema = SchemaDefinition.Create(typeof(PointsRow));
        outputSchema[0].ColumnName = metadata.OutputColumnName;
        outputSchema[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, metadata.Layout.CoordinateCount);
        using var engine = ml.Model.CreatePredictionEngine<CropRow, PointsRow>(
            network,
            new PredictionEngineOptions
            {
                OwnsTransformer = false,
                InputSchemaDefinition = schema,
                OutputSchemaDefinition = outputSchema,
            }
        );
        var rows = crops.Select(c => new CropRow { Pixels = c }).ToArray();
        double engineSingle = Best(() =>
        {
            foreach (var row in rows)
                engine.Predict(row);
        });
        using var pool = ml.Keypoints.Crops(network);
        double pooledOne = Best(() =>
        {
            foreach (float[]? crop in crops)
                pool.Predict(crop);
        });
        double pooledTwo = Best(() =>
            Parallel.ForEach(crops, new ParallelOptions { MaxDegreeOfParallelism = 2 }, crop => pool.Predict(crop))
        );
        var view = ml.Data.LoadFromEnumerable(rows, schema);
        double transform = Best(() => Drain(network.Transform(view), metadata.OutputColumnName));

        Console.WriteLine();
        Console.WriteLine($"{"benchmark", -46} {"crops/s", 9} {"raw ONNX Runtime", 17} {"ratio", 7}");
        Row("PredictionEngine, one crop at a time", engineSingle, rawSingle);
        Row("CropKeypointsPredictor (pool), 1 thread", pooledOne, rawSingle);
        Row("CropKeypointsPredictor (pool), 2 threads", pooledTwo, rawSingle);
        Row($"Transform, {Crops} rows", transform, rawBatch);
        Console.WriteLine(
            $"raw ONNX Runtime: the same graph in an InferenceSession, one crop per Run for the first three rows, "
                + $"batches of {SessionBatch} for Transform."
        );
        return 0;

        double Best(Action action)
        {
            action();
            double best = 0;
            for (int pass = 0; pass < 3; pass++)
            {
                var clock = Stopwatch.StartNew();
                action();
                best = Math.Max(best, Crops / clock.Elapsed.TotalSeconds);
            }
            return best;
        }
    }

    private static void Row(string name, double library, double baseline) =>
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"{name, -46} {library, 9:F0} {baseline, 17:F0} {library / baseline, 7:F3}"
            )
        );

    private static void RunSession(
        InferenceSession session,
        string input,
        string output,
        float[] pixels,
        int count,
        int length
    )
    {
        using var tensor = OrtValue.CreateTensorValueFromMemory(pixels, [count, length]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [input], [tensor], [output]);
    }

    /// <summary>Reads every row of <paramref name="column"/>, so that the view scores them all.</summary>
    internal static void Drain(IDataView view, string column)
    {
        using var cursor = view.GetRowCursor([view.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema[column]);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
            getter(ref buffer);
    }

    private sealed class CropRow
    {
        public float[] Pixels { get; set; } = [];
    }

    private sealed class PointsRow
    {
        public float[] Points { get; set; } = [];
    }
}
