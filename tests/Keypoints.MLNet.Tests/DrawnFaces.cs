using System.Globalization;
using System.Text;
using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using SkiaSharp;

namespace Keypoints.MLNet.Tests;

/// <summary>
/// Kaggle-layout faces that the tests draw themselves, with known keypoints: a face oval, eyes whose corners and
/// centres are the eye keypoints, eyebrows between their ends, a nose tip and a mouth between its corners and lip
/// centres, each face moved, scaled and turned a little at random over a noisy background. A network can learn them, so
/// tests of training, export and scoring need no data set; the files are written once per test process.
/// </summary>
internal static class DrawnFaces
{
    private const int Side = 96;

    /// <summary>Typical positions of the 15 keypoints in a 96 x 96 Kaggle face, in the competition's column
    /// order.</summary>
    // csharpier-ignore
    internal static readonly float[] TypicalKeypoints =
    [
        66, 37, 30, 37, 59, 38, 73, 38, 37, 38, 22, 38, 56, 29, 80, 30,
        39, 29, 16, 30, 48, 62, 63, 76, 32, 76, 48, 72, 48, 82,
    ];

    private static readonly Lazy<string> Folder = new(() =>
        Directory.CreateTempSubdirectory("keypoints-drawn-faces-").FullName
    );
    private static readonly Lazy<string> Train = new(() => Write("training.csv", 512, seed: 1));
    private static readonly Lazy<string> Held = new(() => Write("validation.csv", 128, seed: 2));

    /// <summary>A Kaggle-layout CSV of 512 drawn faces, every keypoint labelled.</summary>
    public static string TrainingCsv => Train.Value;

    /// <summary>A Kaggle-layout CSV of 128 other drawn faces, every keypoint labelled.</summary>
    public static string ValidationCsv => Held.Value;

    /// <summary>The first <paramref name="rows"/> (at most 512) rows of <see cref="TrainingCsv"/>.</summary>
    public static IDataView Training(MLContext ml, int rows) =>
        ml.Data.TakeRows(FkdCsv.LoadTraining(TrainingCsv), rows);

    /// <summary>The first <paramref name="rows"/> (at most 128) rows of <see cref="ValidationCsv"/>.</summary>
    public static IDataView Validation(MLContext ml, int rows) =>
        ml.Data.TakeRows(FkdCsv.LoadTraining(ValidationCsv), rows);

    /// <summary>The keypoints (pixel coordinates, Kaggle's order) and grey levels of one drawn face.</summary>
    public static (float[] Keypoints, byte[] Pixels) Face(Random random)
    {
        float[] keypoints = Place(random);
        using var bitmap = new SKBitmap(new SKImageInfo(Side, Side, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
            Draw(canvas, keypoints, random);
        byte[] pixels = new byte[Side * Side];
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                int noisy = bitmap.GetPixel(x, y).Red + random.Next(-12, 13);
                pixels[(y * Side) + x] = (byte)Math.Clamp(noisy, 0, 255);
            }
        }
        return (keypoints, pixels);
    }

    private static string Write(string name, int rows, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", KeypointLayout.Kaggle15.CoordinateNames.Append("Image")));
        for (int r = 0; r < rows; r++)
        {
            var (keypoints, pixels) = Face(random);
            text.Append(string.Join(",", keypoints.Select(v => v.ToString("F2", CultureInfo.InvariantCulture))))
                .Append(',')
                .AppendLine(string.Join(" ", pixels));
        }
        string path = Path.Combine(Folder.Value, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The typical keypoints turned by up to 12 degrees, scaled by 0.85 to 1.1 and moved by up to 6
    /// pixels.</summary>
    private static float[] Place(Random random)
    {
        double angle = (random.NextDouble() - 0.5) * 24 * Math.PI / 180;
        double scale = 0.85 + (random.NextDouble() * 0.25);
        double dx = (random.NextDouble() - 0.5) * 12,
            dy = (random.NextDouble() - 0.5) * 12;
        float[] placed = new float[TypicalKeypoints.Length];
        for (int k = 0; k < TypicalKeypoints.Length; k += 2)
        {
            double x = TypicalKeypoints[k] - 48,
                y = TypicalKeypoints[k + 1] - 48;
            placed[k] = (float)(48 + dx + (scale * ((x * Math.Cos(angle)) - (y * Math.Sin(angle)))));
            placed[k + 1] = (float)(48 + dy + (scale * ((x * Math.Sin(angle)) + (y * Math.Cos(angle)))));
        }
        return placed;
    }

    private static void Draw(SKCanvas canvas, float[] k, Random random)
    {
        SKPoint P(int keypoint) => new(k[2 * keypoint], k[(2 * keypoint) + 1]);
        byte background = (byte)random.Next(40, 110),
            skin = (byte)random.Next(150, 220);
        canvas.Clear(new SKColor(background, background, background));
        using var paint = new SKPaint { IsAntialias = true, Color = new SKColor(skin, skin, skin) };
        var eyes = Mid(P(0), P(1));
        float eyeDistance = Distance(P(0), P(1));
        canvas.DrawOval(Mid(eyes, P(10)), new SKSize(eyeDistance * 1.05f, eyeDistance * 1.45f), paint);
        using var dark = new SKPaint
        {
            IsAntialias = true,
            Color = new SKColor(30, 30, 30),
            StrokeWidth = 2.5f,
            StrokeCap = SKStrokeCap.Round,
        };
        using var white = new SKPaint { IsAntialias = true, Color = new SKColor(245, 245, 245) };
        foreach (var (center, inner, outer) in new[] { (0, 2, 3), (1, 4, 5) })
        {
            float width = Distance(P(inner), P(outer));
            canvas.DrawOval(P(center), new SKSize(width / 2, width / 4), white);
            canvas.DrawCircle(P(center), width / 5, dark);
            canvas.DrawLine(P(inner), P(outer), dark);
        }
        canvas.DrawLine(P(6), P(7), dark);
        canvas.DrawLine(P(8), P(9), dark);
        canvas.DrawCircle(P(10), 3, dark);
        using var lips = new SKPaint { IsAntialias = true, Color = new SKColor(70, 70, 70) };
        using var mouth = new SKPath();
        mouth.MoveTo(P(11));
        mouth.QuadTo(Mirror(P(14), Mid(P(11), P(12))), P(12));
        mouth.QuadTo(Mirror(P(13), Mid(P(11), P(12))), P(11));
        canvas.DrawPath(mouth, lips);
    }

    private static SKPoint Mid(SKPoint a, SKPoint b) => new((a.X + b.X) / 2, (a.Y + b.Y) / 2);

    // The control point of a quadratic curve through 'point' at its middle: twice as far from the chord's middle.
    private static SKPoint Mirror(SKPoint point, SKPoint middle) =>
        new((2 * point.X) - middle.X, (2 * point.Y) - middle.Y);

    private static float Distance(SKPoint a, SKPoint b) => SKPoint.Distance(a, b);
}
