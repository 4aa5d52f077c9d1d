// Usage: Keypoints.ScoringOnlyApp model.zip faces.csv rows
//    or: Keypoints.ScoringOnlyApp photos photos.zip photo.jpg [photo.jpg ...]
// The first form reads the Image column of the first `rows` rows of a Kaggle-layout CSV, scores them with the saved
// keypoint model through a PredictionEngine, and prints one line of comma-separated coordinates per face. The second
// scores photos with a saved photo model (every face of each photo) and prints, per photo, the face count, a space, and
// the found faces' keypoints in photo pixels, comma-separated.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

if (args.Length >= 3 && args[0] == "photos")
    return ScorePhotos(args[1], args[2..]);
if (args.Length != 3)
{
    Console.Error.WriteLine(
        "usage: Keypoints.ScoringOnlyApp model.zip faces.csv rows | photos photos.zip photo.jpg..."
    );
    return 2;
}
int rows = int.Parse(args[2], CultureInfo.InvariantCulture);
using var reader = new StreamReader(args[1]);
string[] header = reader.ReadLine()!.Split(',');
int imageField = Array.IndexOf(header, "Image");
var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
var engine = ml.Model.CreatePredictionEngine<Face, Prediction>(model);
for (int r = 0; r < rows && reader.ReadLine() is { } line; r++)
{
    float[] image = line.Split(',')[imageField]
        .Split(' ')
        .Select(p => float.Parse(p, CultureInfo.InvariantCulture))
        .ToArray();
    var prediction = engine.Predict(new Face { Image = image });
    Console.WriteLine(Join(prediction.PredictedKeypoints));
}
return 0;

static int ScorePhotos(string modelPath, string[] photos)
{
    var ml = new MLContext();
    // The photo model's image transformers live in ML.NET's ImageAnalytics assembly, which nothing here has loaded yet.
    ml.ComponentCatalog.RegisterAssembly(typeof(ImageLoadingTransformer).Assembly);
    var model = ml.Model.Load(modelPath, out _);
    var engine = ml.Model.CreatePredictionEngine<Photo, PhotoFaces>(model);
    foreach (string photo in photos)
    {
        var faces = engine.Predict(new Photo { ImagePath = photo });
        int count = (int)faces.FaceCount[0];
        int perFace = faces.FaceKeypoints.Length / faces.FaceScores.Length;
        Console.WriteLine($"{count} {Join(faces.FaceKeypoints.Take(count * perFace))}");
    }
    return 0;
}

static string Join(IEnumerable<float> values) =>
    string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

internal sealed class Face
{
    [VectorType(9216)]
    public float[] Image { get; set; } = [];
}

internal sealed class Prediction
{
    public float[] PredictedKeypoints { get; set; } = [];
}

internal sealed class Photo
{
    public string ImagePath { get; set; } = "";
}

internal sealed class PhotoFaces
{
    public float[] FaceCount { get; set; } = [];

    public float[] FaceScores { get; set; } = [];

    public float[] FaceKeypoints { get; set; } = [];
}
