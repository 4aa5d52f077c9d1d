// Usage: Keypoints.ScoringOnlyApp model.zip faces.csv rows
// Reads the Image column of the first `rows` rows of a Kaggle-layout CSV, scores them with the saved
// model through a PredictionEngine, and prints one line of comma-separated coordinates per face.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Keypoints.ScoringOnlyApp model.zip faces.csv rows");
    return 2;
}
int rows = int.Parse(args[2], CultureInfo.InvariantCulture);
using var reader = new StreamReader(args[1]);
var header = reader.ReadLine()!.Split(',');
int imageField = Array.IndexOf(header, "Image");
var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var engine = ml.Model.CreatePredictionEngine<Face, Prediction>(model);
for (int r = 0; r < rows && reader.ReadLine() is { } line; r++)
{
    var image = line.Split(',')[imageField].Split(' ').Select(p => float.Parse(p, CultureInfo.InvariantCulture)).ToArray();
    var prediction = engine.Predict(new Face { Image = image });
    Console.WriteLine(string.Join(",", prediction.PredictedKeypoints.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
}
return 0;

internal sealed class Face
{
    [VectorType(9216)]
    public float[] Image { get; set; } = [];
}

internal sealed class Prediction
{
    public float[] PredictedKeypoints { get; set; } = [];
}
