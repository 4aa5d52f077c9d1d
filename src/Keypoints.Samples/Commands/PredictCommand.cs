using System.Globalization;
using System.Text;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Visualization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.Samples.Commands;

/// <summary><c>predict</c>: with <c>--image</c>, draws a saved image-file model's keypoints on one picture (PNG); with
/// <c>--data</c>, writes the predicted keypoints of every row of a CSV (Kaggle or image files) to a CSV.</summary>
internal static class PredictCommand
{
    public static int Run(CommandLine options)
    {
        var modelPath = options.RequiredString("model");
        var image = options.String("image");
        var dataPath = options.String("data");
        var output = options.RequiredString("out");
        bool names = options.Flag("names");
        options.RejectUnknown();
        if ((image is null) == (dataPath is null))
            throw new UsageException("predict needs exactly one of --image face.jpg or --data file.csv.");
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);

        var ml = new MLContext();
        var model = ml.Model.Load(modelPath, out var modelInput);
        if (image is not null)
        {
            if (!ModelKind.ReadsImageFiles(modelInput))
                throw new UsageException($"Model '{modelPath}' was trained on a Kaggle CSV; --image needs a model trained on image files.");
            var fullPath = Path.GetFullPath(image);
            if (!File.Exists(fullPath))
                throw new FileNotFoundException($"Image file '{image}' does not exist.", image);
            var row = ml.Data.LoadFromEnumerable([new ImageRow { ImagePath = fullPath }]);
            var predicted = model.Transform(row).GetColumn<VBuffer<float>>("PredictedKeypoints").Single().DenseValues().ToArray();
            var keypointNames = names ? KeypointModelInfo.Load(modelPath).KeypointNames : null;
            KeypointOverlay.SavePng(fullPath, predicted, output, names: keypointNames);
            Console.WriteLine($"wrote {output}: {predicted.Length / 2} keypoints on {image}");
            return 0;
        }
        if (names)
            throw new UsageException("Option --names draws names on an --image overlay; it does not apply to --data.");
        var file = KeypointDataFile.Load(ml, dataPath!);
        ModelKind.RequireMatch(modelInput, file, modelPath, dataPath!);
        var predictions = model.Transform(file.Data).GetColumn<VBuffer<float>>("PredictedKeypoints").Select(v => v.DenseValues().ToArray()).ToArray();
        var csv = new StringBuilder();
        csv.Append(file.IsImageFiles ? "image," : "row,").AppendJoin(',', file.Layout.CoordinateNames).Append('\n');
        for (int r = 0; r < predictions.Length; r++)
        {
            csv.Append(file.IsImageFiles ? file.ImagePaths![r] : (r + 1).ToString(CultureInfo.InvariantCulture));
            foreach (var value in predictions[r])
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
