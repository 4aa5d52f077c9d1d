using SkiaSharp;

namespace Keypoints.Samples.Plots;

/// <summary>Draws keypoints on a face image with SkiaSharp: predicted points as red dots, true points as green rings,
/// optionally each predicted point's name. Coordinates are pixels of the image, pixel centers at integer positions.</summary>
internal static class KeypointOverlay
{
    private static readonly SKColor Predicted = new(255, 40, 40);
    private static readonly SKColor Truth = new(40, 230, 60);

    /// <summary>Decodes the image at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an image SkiaSharp can decode.</exception>
    public static SKBitmap Decode(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        return SKBitmap.Decode(path) ?? throw new InvalidDataException($"Image file '{path}' is not an image that can be read (corrupt or unsupported format).");
    }

    /// <summary>Draws onto <paramref name="canvas"/>, where the image occupies <paramref name="target"/> and is
    /// <paramref name="imageWidth"/> by <paramref name="imageHeight"/> pixels.</summary>
    public static void Draw(SKCanvas canvas, SKRect target, int imageWidth, int imageHeight, float[] predicted, float[]? truth,
        IReadOnlyList<string>? names)
    {
        float sx = target.Width / imageWidth, sy = target.Height / imageHeight;
        SKPoint At(float[] points, int k) => new(target.Left + (points[2 * k] + 0.5f) * sx, target.Top + (points[2 * k + 1] + 0.5f) * sy);
        float radius = Math.Max(1.5f, Math.Min(target.Width, target.Height) / 110f);
        using var ring = new SKPaint { Color = Truth, IsStroke = true, StrokeWidth = Math.Max(1f, radius / 2), IsAntialias = true };
        using var dot = new SKPaint { Color = Predicted, IsAntialias = true };
        using var font = new SKFont(SKTypeface.Default, Math.Max(8f, radius * 3.5f));
        using var text = new SKPaint { Color = SKColors.Yellow, IsAntialias = true };
        if (truth is not null)
        {
            for (int k = 0; 2 * k + 1 < truth.Length; k++)
            {
                if (!float.IsNaN(truth[2 * k]) && !float.IsNaN(truth[2 * k + 1]))
                    canvas.DrawCircle(At(truth, k), radius * 1.6f, ring);
            }
        }
        for (int k = 0; 2 * k + 1 < predicted.Length; k++)
        {
            var point = At(predicted, k);
            canvas.DrawCircle(point, radius, dot);
            if (names is not null && k < names.Count)
                canvas.DrawText(names[k], point.X + radius * 1.5f, point.Y - radius, font, text);
        }
    }

    /// <summary>Writes the image at <paramref name="imagePath"/> with its keypoints drawn, at least 320 pixels on the
    /// shorter side so small faces stay readable, as a PNG at <paramref name="output"/>.</summary>
    public static void SavePng(string imagePath, float[] predicted, IReadOnlyList<string>? names, string output)
    {
        using var image = Decode(imagePath);
        float scale = Math.Max(1f, 320f / Math.Min(image.Width, image.Height));
        int width = (int)Math.Round(image.Width * scale), height = (int)Math.Round(image.Height * scale);
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        var target = new SKRect(0, 0, width, height);
        using (var source = SKImage.FromBitmap(image))
            surface.Canvas.DrawImage(source, target, new SKSamplingOptions(SKCubicResampler.Mitchell));
        Draw(surface.Canvas, target, image.Width, image.Height, predicted, null, names);
        WritePng(surface, output);
    }

    /// <summary>Encodes the surface's pixels as PNG to <paramref name="output"/>, creating its folder.</summary>
    public static void WritePng(SKSurface surface, string output)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(output);
        png.SaveTo(file);
    }
}
