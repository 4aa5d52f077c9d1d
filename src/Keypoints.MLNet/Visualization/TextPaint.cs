using SkiaSharp;

namespace Keypoints.MLNet.Visualization;

/// <summary>Text paints on SkiaSharp's default typeface, which needs no fontconfig font on Linux.</summary>
internal static class TextPaint
{
    /// <summary>An anti-aliased paint for text of <paramref name="size"/> pixels.</summary>
    public static SKPaint Create(float size, SKColor color, SKTextAlign align = SKTextAlign.Left) => new()
    {
        Typeface = SKTypeface.Default,
        TextSize = size,
        Color = color,
        TextAlign = align,
        IsAntialias = true,
    };

    /// <summary><paramref name="text"/>, cut short with an ellipsis where it is wider than <paramref name="maxWidth"/> pixels.</summary>
    public static string Fit(SKPaint paint, string text, float maxWidth)
    {
        if (paint.MeasureText(text) <= maxWidth)
            return text;
        const string ellipsis = "...";
        int length = text.Length;
        while (length > 0 && paint.MeasureText(text[..length] + ellipsis) > maxWidth)
            length--;
        return text[..length] + ellipsis;
    }
}
