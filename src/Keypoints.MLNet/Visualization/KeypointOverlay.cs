using System.Drawing;
using Keypoints.MLNet.Images;
using SkiaSharp;

namespace Keypoints.MLNet.Visualization;

/// <summary>
/// Draws keypoints on a face with SkiaSharp: predicted points as red dots, true points as green rings, optionally each
/// predicted point's name. Keypoints are <c>x0, y0, x1, y1, ...</c> in pixels of the original image, with pixel
/// centers at integer positions (the convention of the Kaggle and landmark CSVs and of the model's predictions).
/// </summary>
public static class KeypointOverlay
{
    /// <summary>The shorter side, in pixels, that <see cref="SavePng"/> enlarges small images to.</summary>
    public const int MinimumSide = 320;

    /// <summary>The longer side, in pixels, that <see cref="SavePng"/> enlarges images to at most to make room for
    /// names.</summary>
    public const int MaximumSide = 2048;

    /// <summary>With names, <see cref="SavePng"/> enlarges the image until neighbouring points are this many pixels
    /// apart (the median nearest-neighbour distance), within <see cref="MaximumSide"/>.</summary>
    private const float NamedSpacing = 24f;

    /// <summary>The resampling of faces drawn larger or smaller than their pixels: bicubic (Mitchell), what SkiaSharp
    /// 2's
    /// <c>SKFilterQuality.High</c> did.</summary>
    internal static readonly SKSamplingOptions HighQuality = new(SKCubicResampler.Mitchell);

    private static readonly SKColor PredictedColor = new(255, 40, 40);
    private static readonly SKColor TruthColor = new(40, 230, 60);
    private static readonly SKColor NameColor = SKColors.Yellow;
    private static readonly SKColor BoxColor = new(255, 220, 0);

    /// <summary>Draws keypoints onto <paramref name="canvas"/>, where an image of <paramref name="imageSize"/> pixels
    /// has been drawn into <paramref name="target"/>.</summary>
    /// <param name="canvas">The canvas to draw on.</param>
    /// <param name="target">Where the image lies on the canvas, in canvas pixels.</param>
    /// <param name="imageSize">The image's width and height in pixels.</param>
    /// <param name="predicted">Predicted keypoints in image pixels, drawn as red dots.</param>
    /// <param name="truth">True keypoints in image pixels, NaN where missing, drawn as green rings; <see
    /// langword="null"/> for none.</param>
    /// <param name="names">Names drawn beside the predicted points, in keypoint order; <see langword="null"/> for
    /// none.</param>
    /// <exception cref="ArgumentOutOfRangeException">The image's width or height is not positive.</exception>
    public static void Draw(
        SKCanvas canvas,
        SKRect target,
        SKSizeI imageSize,
        IReadOnlyList<float> predicted,
        IReadOnlyList<float>? truth = null,
        IReadOnlyList<string>? names = null
    )
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageSize.Width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageSize.Height);
        float sx = target.Width / imageSize.Width,
            sy = target.Height / imageSize.Height;
        SKPoint At(IReadOnlyList<float> points, int k) =>
            new(target.Left + ((points[2 * k] + 0.5f) * sx), target.Top + ((points[(2 * k) + 1] + 0.5f) * sy));
        // Dots shrink with the spacing of the points, so that dense layouts (68 points) do not merge into blobs.
        float radius = Math.Max(
            1.5f,
            Math.Min(Math.Min(target.Width, target.Height) / 110f, PointSpacing(predicted) * Math.Min(sx, sy) / 4)
        );
        using var ring = new SKPaint
        {
            Color = TruthColor,
            IsStroke = true,
            StrokeWidth = Math.Max(1f, radius / 2),
            IsAntialias = true,
        };
        using var dot = new SKPaint { Color = PredictedColor, IsAntialias = true };
        if (truth is not null)
        {
            for (int k = 0; (2 * k) + 1 < truth.Count; k++)
            {
                if (!float.IsNaN(truth[2 * k]) && !float.IsNaN(truth[(2 * k) + 1]))
                    canvas.DrawCircle(At(truth, k), radius * 1.6f, ring);
            }
        }
        var points = new SKPoint[predicted.Count / 2];
        for (int k = 0; k < points.Length; k++)
        {
            points[k] = At(predicted, k);
            canvas.DrawCircle(points[k], radius, dot);
        }
        if (names is not null)
            DrawNames(canvas, target, points, names, radius);
    }

    private static void DrawNames(
        SKCanvas canvas,
        SKRect target,
        SKPoint[] points,
        IReadOnlyList<string> names,
        float radius
    )
    {
        using var text = TextPaint.Create(Math.Clamp(radius * 3.5f, 9f, 14f), NameColor);
        using var leader = new SKPaint
        {
            Color = NameColor.WithAlpha(160),
            StrokeWidth = 1,
            IsAntialias = true,
        };
        var metrics = text.Metrics;
        var placer = new LabelPlacer(target, points, radius);
        for (int k = 0; k < points.Length && k < names.Count; k++)
        {
            var size = new SKSize(text.Measure(names[k]), metrics.Descent - metrics.Ascent);
            var (box, moved) = placer.Place(points[k], size, radius * 1.5f);
            if (moved)
            {
                canvas.DrawLine(
                    points[k],
                    new SKPoint(
                        Math.Clamp(points[k].X, box.Left, box.Right),
                        Math.Clamp(points[k].Y, box.Top, box.Bottom)
                    ),
                    leader
                );
            }

            text.Draw(canvas, names[k], box.Left, box.Top - metrics.Ascent);
        }
    }

    /// <summary>The median distance, in image pixels, from each point to its nearest neighbour; infinity for fewer
    /// than two points.</summary>
    internal static float PointSpacing(IReadOnlyList<float> points)
    {
        int count = points.Count / 2;
        if (count < 2)
            return float.PositiveInfinity;
        float[] nearest = new float[count];
        for (int i = 0; i < count; i++)
        {
            float best = float.PositiveInfinity;
            for (int j = 0; j < count; j++)
            {
                if (j != i)
                {
                    best = Math.Min(
                        best,
                        MathF.Sqrt(
                            MathF.Pow(points[2 * i] - points[2 * j], 2)
                                + MathF.Pow(points[(2 * i) + 1] - points[(2 * j) + 1], 2)
                        )
                    );
                }
            }
            nearest[i] = best;
        }
        Array.Sort(nearest);
        return nearest[count / 2];
    }

    /// <summary>Draws <paramref name="image"/> into <paramref name="target"/> with high-quality resampling.</summary>
    /// <param name="canvas">The canvas to draw on.</param>
    /// <param name="image">The face image.</param>
    /// <param name="target">Where to draw it, in canvas pixels.</param>
    public static void DrawImage(SKCanvas canvas, SKBitmap image, SKRect target)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(image);
        using var paint = new SKPaint { IsAntialias = true };
        using var pixels = SKImage.FromBitmap(image);
        canvas.DrawImage(pixels, target, HighQuality, paint);
    }

    /// <summary>Writes the image at <paramref name="imagePath"/> with its keypoints drawn as a PNG at
    /// <paramref name="output"/> (creating its folder), enlarged to at least <see cref="MinimumSide"/> pixels on the
    /// shorter side so that small faces stay readable, and with <paramref name="names"/> further (up to
    /// <see cref="MaximumSide"/>) until the points are far enough apart for their names.</summary>
    /// <param name="imagePath">The face image (any format SkiaSharp decodes: JPEG, PNG, BMP, ...).</param>
    /// <param name="predicted">Predicted keypoints in pixels of that image.</param>
    /// <param name="output">The PNG file to write.</param>
    /// <param name="truth">True keypoints in pixels of that image, NaN where missing; <see langword="null"/> for
    /// none.</param>
    /// <param name="names">Names drawn beside the predicted points; <see langword="null"/> for none.</param>
    /// <param name="limits">The largest image decoded; null for <see cref="ImageDecodeLimits.Default"/>.</param>
    /// <exception cref="FileNotFoundException">The image file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an image that can be decoded, or is over the
    /// limits.</exception>
    public static void SavePng(
        string imagePath,
        IReadOnlyList<float> predicted,
        string output,
        IReadOnlyList<float>? truth = null,
        IReadOnlyList<string>? names = null,
        ImageDecodeLimits? limits = null
    )
    {
        using var image = SkiaImageFile.Decode(imagePath, limits);
        float scale = Math.Max(1f, (float)MinimumSide / Math.Min(image.Width, image.Height));
        if (names is not null)
        {
            scale = Math.Max(
                scale,
                Math.Min(
                    NamedSpacing / PointSpacing(predicted),
                    (float)MaximumSide / Math.Max(image.Width, image.Height)
                )
            );
        }

        int width = (int)Math.Round(image.Width * scale),
            height = (int)Math.Round(image.Height * scale);
        using var surface = SkiaImageFile.CreateSurface(width, height, SKColors.Black);
        var target = new SKRect(0, 0, width, height);
        DrawImage(surface.Canvas, image, target);
        Draw(surface.Canvas, target, new SKSizeI(image.Width, image.Height), predicted, truth, names);
        SkiaImageFile.WritePng(surface, output, SkiaImageFile.PhotoCompression);
    }

    /// <summary>Writes the photo at <paramref name="imagePath"/> with every face's box (yellow frame) and keypoints
    /// (red dots) drawn as a PNG at <paramref name="output"/> (creating its folder), enlarged as <see cref="SavePng"/>
    /// does.</summary>
    /// <param name="imagePath">The photo (any format SkiaSharp decodes).</param>
    /// <param name="boxes">Each face's box (left, top, width, height) in photo pixels, pixel centres at
    /// integers.</param>
    /// <param name="keypoints">Each face's keypoints in photo pixels, in the order of <paramref name="boxes"/>.</param>
    /// <param name="output">The PNG file to write.</param>
    /// <param name="limits">The largest photo decoded; null for <see cref="ImageDecodeLimits.Default"/>.</param>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    /// <exception cref="FileNotFoundException">The image file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an image that can be decoded, or is over the
    /// limits.</exception>
    public static void SaveFacesPng(
        string imagePath,
        IReadOnlyList<RectangleF> boxes,
        IReadOnlyList<IReadOnlyList<float>> keypoints,
        string output,
        ImageDecodeLimits? limits = null
    )
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(keypoints);
        if (boxes.Count != keypoints.Count)
        {
            throw new ArgumentException(
                $"{boxes.Count} boxes but {keypoints.Count} keypoint sets; one of each per face.",
                nameof(keypoints)
            );
        }

        using var image = SkiaImageFile.Decode(imagePath, limits);
        float scale = Math.Max(1f, (float)MinimumSide / Math.Min(image.Width, image.Height));
        int width = (int)Math.Round(image.Width * scale),
            height = (int)Math.Round(image.Height * scale);
        using var surface = SkiaImageFile.CreateSurface(width, height, SKColors.Black);
        var target = new SKRect(0, 0, width, height);
        DrawImage(surface.Canvas, image, target);
        using var frame = new SKPaint
        {
            Color = BoxColor,
            IsStroke = true,
            StrokeWidth = Math.Max(1f, Math.Min(width, height) / 320f),
            IsAntialias = true,
        };
        for (int f = 0; f < boxes.Count; f++)
        {
            var box = boxes[f];
            // The box is in the points' convention (pixel centres at integers), so it moves by the same half pixel they
            // do.
            surface.Canvas.DrawRect(
                new SKRect(
                    (box.Left + 0.5f) * scale,
                    (box.Top + 0.5f) * scale,
                    (box.Right + 0.5f) * scale,
                    (box.Bottom + 0.5f) * scale
                ),
                frame
            );
            Draw(surface.Canvas, target, new SKSizeI(image.Width, image.Height), keypoints[f]);
        }
        SkiaImageFile.WritePng(surface, output, SkiaImageFile.PhotoCompression);
    }
}
