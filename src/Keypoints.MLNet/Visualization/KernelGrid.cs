using Keypoints.MLNet.Scoring;
using SkiaSharp;

namespace Keypoints.MLNet.Visualization;

/// <summary>
/// Draws convolution kernels (for example <see cref="KeypointModelInfo.FirstLayerKernels"/>) as a grid of enlarged grey
/// tiles, one per filter and input channel. Each tile is scaled on its own so that zero is mid-grey and the kernel's
/// largest absolute weight is white (positive) or black (negative): the pattern of each filter shows even where filters
/// differ in magnitude.
/// </summary>
public static class KernelGrid
{
    private const int TilePixels = 72;
    private const int Gap = 14;
    private const int LabelHeight = 18;
    private const int TitleHeight = 58;
    private const int MaxColumns = 8;
    private const int MinimumWidth = 520;

    /// <summary>Writes the grid of <paramref name="kernels"/> under <paramref name="title"/> as a PNG to
    /// <paramref name="path"/> (creating its folder).</summary>
    /// <param name="kernels">The convolution weights.</param>
    /// <param name="title">The line of text above the grid.</param>
    /// <param name="path">The PNG file to write.</param>
    public static void SavePng(ConvolutionKernels kernels, string title, string path)
    {
        ArgumentNullException.ThrowIfNull(kernels);
        int tiles = kernels.Count * kernels.Channels;
        int columns = Math.Min(MaxColumns, (int)Math.Ceiling(Math.Sqrt(tiles)));
        int rows = (tiles + columns - 1) / columns;
        int cellWidth = TilePixels + Gap;
        int cellHeight = TilePixels + LabelHeight + Gap;
        int width = Math.Max(Gap + (columns * cellWidth), MinimumWidth);
        int height = TitleHeight + (rows * cellHeight) + Gap;

        using var surface = SkiaImageFile.CreateSurface(width, height, SKColors.White);
        var canvas = surface.Canvas;
        using var titlePaint = TextPaint.Create(17, SKColors.Black, SKTextAlign.Center);
        using var text = TextPaint.Create(14, SKColors.Black, SKTextAlign.Center);
        using var fill = new SKPaint { IsAntialias = false };
        using var frame = new SKPaint
        {
            Color = SKColors.Gray,
            Style = SKPaintStyle.Stroke,
            StrokeWidth = 1,
        };
        titlePaint.Draw(canvas, titlePaint.Fit(title, width - Gap), width / 2f, 24);
        text.Draw(canvas, "each kernel: mid-grey = 0, white / black = + / - its largest |weight|", width / 2f, 44);

        float cellSide = (float)TilePixels / Math.Max(kernels.Height, kernels.Width);
        for (int tile = 0; tile < tiles; tile++)
        {
            int filter = tile / kernels.Channels,
                channel = tile % kernels.Channels;
            float left = Gap + (tile % columns * cellWidth);
            float top = TitleHeight + (tile / columns * cellHeight);
            var kernel = kernels.Kernel(filter, channel);
            float scale = MaxAbs(kernel);
            for (int y = 0; y < kernels.Height; y++)
            {
                for (int x = 0; x < kernels.Width; x++)
                {
                    float w = kernel[(y * kernels.Width) + x];
                    byte grey = (byte)Math.Clamp(MathF.Round(127.5f + (127.5f * (scale > 0 ? w / scale : 0))), 0, 255);
                    fill.Color = new SKColor(grey, grey, grey);
                    canvas.DrawRect(left + (x * cellSide), top + (y * cellSide), cellSide, cellSide, fill);
                }
            }
            canvas.DrawRect(
                left - 0.5f,
                top - 0.5f,
                (kernels.Width * cellSide) + 1,
                (kernels.Height * cellSide) + 1,
                frame
            );
            string label = kernels.Channels == 1 ? $"{filter + 1}" : $"{filter + 1}.{channel + 1}";
            text.Draw(canvas, label, left + (TilePixels / 2f), top + TilePixels + LabelHeight - 3);
        }
        SkiaImageFile.WritePng(surface, path);
    }

    private static float MaxAbs(ReadOnlySpan<float> values)
    {
        float max = 0;
        foreach (float v in values)
            max = Math.Max(max, Math.Abs(v));
        return max;
    }
}
