using System.CommandLine;
using System.Globalization;
using Keypoints.MLNet;
using Keypoints.MLNet.Evaluation;
using Keypoints.MLNet.Photos;
using Keypoints.MLNet.Visualization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.Samples.Commands;

/// <summary><c>evaluate</c>: scores a labelled CSV (Kaggle or image files) with a saved model and prints RMSE, NME and
/// per-keypoint errors; with <c>--sheet DIR</c> (image files) it also draws the best and worst 16 faces.</summary>
internal sealed class EvaluateCommand : Command
{
    public const string BestSheetFileName = "best.png";
    public const string WorstSheetFileName = "worst.png";

    private readonly Option<string> model = new("--model") { Description = "The model zip saved by train", HelpName = "model.zip", Required = true };
    private readonly Option<string> data = new("--data") { Description = "A labelled CSV, Kaggle layout or image files", HelpName = "validation.csv", Required = true };
    private readonly Option<string?> sheet = new("--sheet")
    {
        Description = "(image files) Write DIR/best.png and DIR/worst.png: the best and worst 16 faces by RMSE, predicted points red, true points green",
        HelpName = "DIR",
    };
    private readonly Option<bool> faces = new("--faces")
    {
        Description = "The CSV names photos (rows with the same image are its labelled faces): detect every face, match detections by eye midpoint, print faces, found, recall, false detections and NME",
    };

    public EvaluateCommand()
        : base("evaluate", "Score a labelled CSV with a saved model; print RMSE and NME in pixels, then every keypoint's error")
    {
        Options.Add(model);
        Options.Add(data);
        Options.Add(sheet);
        Options.Add(faces);
        SetAction(result => result.GetValue(faces)
            ? RunFaces(result.GetRequiredValue(model), result.GetRequiredValue(data), result.GetValue(sheet))
            : Run(result.GetRequiredValue(model), result.GetRequiredValue(data), result.GetValue(sheet)));
    }

    private static int RunFaces(string modelPath, string dataPath, string? sheets)
    {
        if (sheets is not null)
            throw new UsageException("Option --sheet draws crops of image files; it does not apply to --faces.");
        var ml = new MLContext();
        using var keypointModel = ml.Keypoints.LoadModel(modelPath);
        var photos = PhotoCsv.Load(dataPath);
        photos.RequireLayout(keypointModel.Layout, dataPath);
        using var predictor = ml.Keypoints.Photos(keypointModel);
        var scored = photos.Images.Select(image =>
            ((IReadOnlyList<float[]>)photos.Labels[image], predictor.Predict(photos.FullPath(image))));
        var metrics = PhotoFaceEvaluation.Evaluate(keypointModel.Layout, scored);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"faces {metrics.Faces}"));
        Console.WriteLine(string.Create(c, $"found {metrics.Found}"));
        Console.WriteLine(string.Create(c, $"recall {metrics.Recall:F4}"));
        Console.WriteLine(string.Create(c, $"false {metrics.FalseDetections}"));
        Console.WriteLine(double.IsNaN(metrics.Nme) ? "NME undefined" : string.Create(c, $"NME {metrics.Nme:F4}"));
        return 0;
    }

    private static int Run(string modelPath, string dataPath, string? sheets)
    {
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);

        var ml = new MLContext();
        var file = KeypointDataFile.Load(ml, dataPath);
        if (sheets is not null && !file.IsImageFiles)
            throw new UsageException("Option --sheet needs a CSV of image files (first column 'image').");
        using var model = ml.Keypoints.LoadModel(modelPath);
        ModelKind.RequireMatch(model, file, modelPath, dataPath);
        var scored = model.Transform(file.Data);
        var metrics = ml.Keypoints.Evaluate(scored, file.Layout);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"RMSE {metrics.Rmse:F4}"));
        Console.WriteLine(double.IsNaN(metrics.Nme) ? "NME undefined" : string.Create(c, $"NME {metrics.Nme:F4}"));
        Console.WriteLine($"normalization: {metrics.NmeNormalization}");
        Console.WriteLine(string.Create(c, $"{"keypoint",-26} {"RMSE px",8} {"mean px",8} {"count",6}"));
        foreach (var k in metrics.PerKeypoint)
            Console.WriteLine(string.Create(c, $"{k.Name,-26} {k.Rmse,8:F3} {k.MeanDistance,8:F3} {k.Count,6}"));
        if (sheets is not null)
        {
            var predicted = scored.GetColumn<VBuffer<float>>("PredictedKeypoints").Select(v => v.DenseValues().ToArray()).ToArray();
            var truth = scored.GetColumn<VBuffer<float>>("Keypoints").Select(v => v.DenseValues().ToArray()).ToArray();
            var paths = file.ImagePaths!;
            ContactSheetFace Face(RowError row) => new(paths[(int)row.RowIndex], predicted[row.RowIndex], truth[row.RowIndex],
                string.Create(c, $"#{row.RowIndex} {row.Rmse:F2} px {Path.GetFileNameWithoutExtension(paths[(int)row.RowIndex])}"));
            var name = Path.GetFileName(dataPath);
            var best = Path.Combine(sheets, BestSheetFileName);
            ContactSheet.SavePng(metrics.Best.Select(Face).ToArray(), $"{name}: best {metrics.Best.Count} faces by RMSE (red predicted, green true)", best);
            var worst = Path.Combine(sheets, WorstSheetFileName);
            ContactSheet.SavePng(metrics.Worst.Select(Face).ToArray(), $"{name}: worst {metrics.Worst.Count} faces by RMSE (red predicted, green true)", worst);
            Console.WriteLine($"wrote {best} and {worst}");
        }
        return 0;
    }
}
