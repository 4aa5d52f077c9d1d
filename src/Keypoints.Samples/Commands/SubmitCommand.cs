using Keypoints.MLNet;
using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.Samples.Commands;

/// <summary><c>submit</c>: predicts test.csv with a saved model and writes a Kaggle submission from IdLookupTable.csv.</summary>
internal static class SubmitCommand
{
    public static int Run(CommandLine options)
    {
        var modelPath = options.RequiredString("model");
        var testPath = options.RequiredString("test");
        var lookupPath = options.RequiredString("lookup");
        var output = options.RequiredString("out");
        options.RejectUnknown();
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);

        var ml = new MLContext();
        var lookup = IdLookupTable.Load(lookupPath);
        var test = ml.Data.Keypoints.LoadFkdTestCsv(testPath);
        var model = ml.Model.Load(modelPath, out _);
        var scored = model.Transform(test);
        var predictions = new Dictionary<int, float[]>();
        using (var cursor = scored.GetRowCursor(scored.Schema.Where(c => c.Name is FkdCsv.ImageIdColumnName or "PredictedKeypoints")))
        {
            var getId = cursor.GetGetter<int>(scored.Schema[FkdCsv.ImageIdColumnName]);
            var getPrediction = cursor.GetGetter<VBuffer<float>>(scored.Schema["PredictedKeypoints"]);
            int id = 0;
            VBuffer<float> prediction = default;
            while (cursor.MoveNext())
            {
                getId(ref id);
                getPrediction(ref prediction);
                predictions[id] = prediction.DenseValues().ToArray();
            }
        }
        FkdSubmission.Write(output, lookup, predictions, KeypointLayout.Kaggle15);
        Console.WriteLine($"wrote {output}: {lookup.Entries.Count} locations for {predictions.Count} images");
        return 0;
    }
}
