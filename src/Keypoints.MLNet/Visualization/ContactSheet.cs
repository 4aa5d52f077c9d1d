using Keypoints.MLNet.Images;
using SkiaSharp;

namespace Keypoints.MLNet.Visualization;

/// <summary>A grid of faces under a title, each face fitted into a square tile with its predicted (red) and true
/// (green) keypoints drawn by <see cref="KeypointOverlay"/> and a caption under it; for example the best and worst rows
/// of an evaluation (<c>KeypointMetrics.Best</c>, <c>KeypointMetrics.Worst</c>).</summary>
public static class ContactSheet
{
    /// <summary>The side of a face's square tile, in pixels.</summary>
    public const int TileSide = 200;

    private const int TitleHeight = 24;
    private const int CaptionHeight = 20;
    private const int Gap = 4;

    /// <summary>Writes <paramref name="faces"/>, <paramref name="columns"/> to a row, as a PNG at <paramref
    /// name="output"/> (creating its folder).</summary>
    /// <param name="faces">The faces, in reading order.</param>
    /// <param name="title">The line of text above the grid.</param>
    /// <param name="output">The PNG file to write.</param>
    /// <param name="columns">Faces per row.</param>
    /// <param name="limits">The largest image decoded; null for <see cref="ImageDecodeLimits.Default"/>.</param>
    /// <exception cref="FileNotFoundException">An image file does not exist.</exception>
    /// <exception cref="InvalidDataException">An image file cannot be decoded, or is over the limits.</exception>
    public static void SavePng(
        IReadOnlyList<ContactSheetFace> faces,
        string title,
        string output,
        int columns = 4,
        ImageDecodeLimits? limits = null
    )
    {
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        int rows = Math.Max(1, (faces.Count + columns - 1) / columns);
        int cellWidth = TileSide + Gap,
            cellHeight = TileSide + CaptionHeight + Gap;
        using var surface = SkiaImageFile.CreateSurface(
            Gap + (columns * cellWidth),
            TitleHeight + (rows * cellHeight),
            SKColors.Black
        );
        var canvas = surface.Canvas;
        using var titlePaint = TextPaint.Create(15, SKColors.White);
        using var captionPaint = TextPaint.Create(12, SKColors.White);
        titlePaint.Draw(canvas, titlePaint.Fit(title, (columns * cellWidth) - Gap), Gap, 17);
        for (int i = 0; i < faces.Count; i++)
        {
            var face = faces[i];
            float left = Gap + (i % columns * cellWidth),
                top = TitleHeight + (i / columns * cellHeight);
            using var image = SkiaImageFile.Decode(face.ImagePath, limits);
            var region = face.Region is { } r
                ? SKRect.Create(r.Left, r.Top, r.Width, r.Height)
                : SKRect.Create(image.Width, image.Height);
            // Fit the region in the tile, keeping its aspect ratio, centred.
            float scale = Math.Min(TileSide / region.Width, TileSide / region.Height);
            float width = region.Width * scale,
                height = region.Height * scale;
            var target = SKRect.Create(left + ((TileSide - width) / 2), top + ((TileSide - height) / 2), width, height);
            using var paint = new SKPaint { IsAntialias = true };
            canvas.Save();
            canvas.ClipRect(target);
            using var sharp = SKImage.FromBitmap(image);
            canvas.DrawImage(sharp, region, target, KeypointOverlay.HighQuality, paint);
            // Points are drawn in the region's pixels: shifted by its corner, scaled by its size.
            KeypointOverlay.Draw(
                canvas,
                target,
                new SKSizeI((int)Math.Ceiling(region.Width), (int)Math.Ceiling(region.Height)),
                Shift(face.Predicted, region),
                face.Truth is null ? null : Shift(face.Truth, region)
            );
            canvas.Restore();
            captionPaint.Draw(canvas, captionPaint.Fit(face.Caption, TileSide), left, top + TileSide + 15);
        }
        SkiaImageFile.WritePng(surface, output);
    }

    private static float[] Shift(float[] points, SKRect region)
    {
        float[] shifted = new float[points.Length];
        for (int k = 0; k + 1 < points.Length; k += 2)
        {
            shifted[k] = points[k] - region.Left;
            shifted[k + 1] = points[k + 1] - region.Top;
        }
        return shifted;
    }
}
