using System.Globalization;
using SkiaSharp;

namespace Keypoints.Samples.Plots;

/// <summary>A grid of faces, each with its predicted (red) and true (green) keypoints and a caption.</summary>
internal static class ContactSheet
{
    private const int Tile = 200;
    private const int Caption = 18;

    /// <summary>One face of the sheet.</summary>
    public sealed record Face(string ImagePath, float[] Predicted, float[] Truth, string Caption);

    /// <summary>Writes the faces, four to a row, as a PNG at <paramref name="output"/>.</summary>
    public static void SavePng(IReadOnlyList<Face> faces, string title, string output)
    {
        const int columns = 4;
        int rows = Math.Max(1, (faces.Count + columns - 1) / columns);
        using var surface = SKSurface.Create(new SKImageInfo(columns * Tile, Caption + rows * (Tile + Caption)));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.Black);
        using var font = new SKFont(SKTypeface.Default, 13);
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = true };
        canvas.DrawText(title, 4, 14, font, white);
        for (int i = 0; i < faces.Count; i++)
        {
            var face = faces[i];
            float left = i % columns * Tile, top = Caption + i / columns * (Tile + Caption);
            using var image = KeypointOverlay.Decode(face.ImagePath);
            // Fit the face in the tile, keeping its aspect ratio.
            float scale = Math.Min((float)Tile / image.Width, (float)Tile / image.Height);
            var target = SKRect.Create(left, top, image.Width * scale, image.Height * scale);
            using (var source = SKImage.FromBitmap(image))
                canvas.DrawImage(source, target, new SKSamplingOptions(SKCubicResampler.Mitchell));
            KeypointOverlay.Draw(canvas, target, image.Width, image.Height, face.Predicted, face.Truth, null);
            canvas.DrawText(face.Caption, left + 3, top + Tile + 13, font, white);
        }
        KeypointOverlay.WritePng(surface, output);
    }

    /// <summary>A caption such as <c>#12 RMSE 2.31 px</c>.</summary>
    public static string CaptionFor(long row, double rmse, string imagePath) =>
        string.Create(CultureInfo.InvariantCulture, $"#{row} {rmse:F2} px {Path.GetFileNameWithoutExtension(imagePath)}");
}
