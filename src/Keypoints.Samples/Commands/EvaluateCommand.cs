using System.Globalization;
using Keypoints.MLNet;
using Microsoft.ML;

namespace Keypoints.Samples.Commands;

/// <summary><c>evaluate</c>: scores a Kaggle-layout CSV with a saved model and prints RMSE, NME and per-keypoint errors.</summary>
internal static class EvaluateCommand
{
    public static int Run(CommandLine options)
    {
        var modelPath = options.RequiredString("model");
        var dataPath = options.RequiredString("data");
        options.RejectUnknown();
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);

        var ml = new MLContext();
        var data = ml.Data.Keypoints.LoadFkdCsv(dataPath);
        var model = ml.Model.Load(modelPath, out _);
        var metrics = ml.Keypoints.Evaluate(model.Transform(data), data.Layout);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"RMSE {metrics.Rmse:F4}"));
        Console.WriteLine(string.Create(c, $"NME {metrics.Nme:F4}"));
        Console.WriteLine(string.Create(c, $"{"keypoint",-26} {"RMSE px",8} {"mean px",8} {"count",6}"));
        foreach (var k in metrics.PerKeypoint)
            Console.WriteLine(string.Create(c, $"{k.Name,-26} {k.Rmse,8:F3} {k.MeanDistance,8:F3} {k.Count,6}"));
        return 0;
    }
}
