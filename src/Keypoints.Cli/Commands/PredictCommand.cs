using System.CommandLine;
using System.Globalization;
using System.Text;
using Keypoints.MLNet;
using Keypoints.MLNet.Visualization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.Cli.Commands;

/// <summary><c>predict</c>: with <c>--image</c>, draws a saved image-file model's keypoints on one picture (PNG); with
/// <c>--data</c>, writes the predicted keypoints of every row of a CSV (Kaggle or image files) to a CSV.</summary>
internal sealed class PredictCommand : Command
{
    private readonly Option<string?> model = ModelArgument.CreateFittingData("A model saved by train or exported");
    private readonly Option<string?> image = new("--image")
    {
        Description = "Draw the predicted points on this picture (a model trained on image files)",
        HelpName = "face.jpg",
    };
    private readonly Option<string?> data = new("--data")
    {
        Description = "Write every row's predicted coordinates, in pixels of its original image, to the --out CSV",
        HelpName = "file.csv",
    };
    private readonly Option<string> output = new("--out")
    {
        Description = "The PNG (with --image) or CSV (with --data) to write",
        HelpName = "overlay.png|predictions.csv",
        Required = true,
    };
    private readonly Option<bool> names = new("--names")
    {
        Description = "With --image, also draw the keypoints' names",
    };

    public PredictCommand()
        : base(
            "predict",
            CommandHelp.With(
                "Predict keypoints with a saved model: on one picture (--image, a PNG overlay) or on every row of a "
                    + "CSV (--data)",
                "keypoints predict --model mine.zip --image face.jpg --out face.png --names",
                "keypoints predict --data faces.csv --out predictions.csv"
            )
        )
    {
        Options.Add(model);
        Options.Add(image);
        Options.Add(data);
        Options.Add(output);
        Options.Add(names);
        SetAction(result =>
            Run(
                ModelArgument.ResolveFittingData(result.GetValue(model), result.GetValue(data)),
                result.GetValue(image),
                result.GetValue(data),
                result.GetRequiredValue(output),
                result.GetValue(names)
            )
        );
    }

    private static int Run(string modelPath, string? image, string? dataPath, string output, bool names)
    {
        if ((image is null) == (dataPath is null))
            throw new UsageException("predict needs exactly one of --image face.jpg or --data file.csv.");
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);

        var ml = new MLContext();
        using var model = ml.Keypoints.LoadModel(modelPath);
        if (image is not null)
        {
            if (!ModelKind.ReadsImageFiles(model))
            {
                throw new UsageException(
                    $"Model '{modelPath}' was trained on a Kaggle CSV; --image needs a model trained on image files."
                );
            }

            string fullPath = Path.GetFullPath(image);
            if (!File.Exists(fullPath))
                throw new FileNotFoundException($"Image file '{image}' does not exist.", image);
            var row = ml.Data.LoadFromEnumerable([new ImageRow { ImagePath = fullPath }]);
            float[] predicted = model
                .Transform(row)
                .GetColumn<VBuffer<float>>("PredictedKeypoints")
                .Single()
                .DenseValues()
                .ToArray();
            var keypointNames = names ? model.Layout.KeypointNames : null;
            KeypointOverlay.SavePng(fullPath, predicted, output, names: keypointNames);
            Console.WriteLine($"wrote {output}: {predicted.Length / 2} keypoints on {image}");
            return 0;
        }
        if (names)
            throw new UsageException("Option --names draws names on an --image overlay; it does not apply to --data.");
        var file = KeypointDataFile.Load(ml, dataPath!);
        ModelKind.RequireMatch(model, file, modelPath, dataPath!);
        float[][] predictions = model
            .Transform(file.Data)
            .GetColumn<VBuffer<float>>("PredictedKeypoints")
            .Select(v => v.DenseValues().ToArray())
            .ToArray();
        var csv = new StringBuilder();
        csv.Append(file.IsImageFiles ? "image," : "row,").AppendJoin(',', file.Layout.CoordinateNames).Append('\n');
        for (int r = 0; r < predictions.Length; r++)
        {
            csv.Append(file.IsImageFiles ? file.ImagePaths![r] : (r + 1).ToString(CultureInfo.InvariantCulture));
            foreach (float value in predictions[r])
                csv.Append(',').Append(value.ToString("0.##", CultureInfo.InvariantCulture));
            csv.Append('\n');
        }
        File.WriteAllText(output, csv.ToString());
        Console.WriteLine($"wrote {output}: predictions for {predictions.Length} rows");
        return 0;
    }

    /// <summary>The one input column of an image-file model.</summary>
    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
    }
}
