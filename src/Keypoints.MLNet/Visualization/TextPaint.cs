using SkiaSharp;

namespace Keypoints.MLNet.Visualization;

/// <summary>Anti-aliased text of one size, color and alignment in <see cref="Typeface"/>: the font, the paint and the
/// alignment that SkiaSharp 3 takes separately.</summary>
internal sealed class TextPaint : IDisposable
{
    private static readonly string[] SansFamilies =
    [
        "DejaVu Sans",
        "Liberation Sans",
        "Arial",
        "Helvetica",
        "Segoe UI",
    ];

    /// <summary>The first installed of the common sans-serif families, else SkiaSharp's default typeface (which needs
    /// no fontconfig font on Linux, and is DejaVu Serif where fontconfig has it).</summary>
    public static SKTypeface Typeface { get; } =
        SansFamilies.Select(f => SKFontManager.Default.MatchFamily(f)).FirstOrDefault(t => t is not null)
        ?? SKTypeface.Default;

    private readonly SKFont font;
    private readonly SKPaint paint;
    private readonly SKTextAlign align;

    private TextPaint(float size, SKColor color, SKTextAlign align)
    {
        this.font = new SKFont(Typeface, size) { Edging = SKFontEdging.Antialias };
        this.paint = new SKPaint { Color = color, IsAntialias = true };
        this.align = align;
    }

    /// <summary>Text of <paramref name="size"/> pixels in <paramref name="color"/>, placed by
    /// <paramref name="align"/> relative to the x given to <see cref="Draw"/>.</summary>
    public static TextPaint Create(float size, SKColor color, SKTextAlign align = SKTextAlign.Left) =>
        new(size, color, align);

    /// <summary>The font's ascent (negative), descent and other metrics, in pixels.</summary>
    public SKFontMetrics Metrics => this.font.Metrics;

    /// <summary>The advance width of <paramref name="text"/> in pixels.</summary>
    public float Measure(string text) => this.font.MeasureText(text);

    /// <summary>Draws <paramref name="text"/> with its baseline at <paramref name="y"/>.</summary>
    public void Draw(SKCanvas canvas, string text, float x, float y) =>
        canvas.DrawText(text, x, y, this.align, this.font, this.paint);

    /// <summary><paramref name="text"/>, cut short with an ellipsis where it is wider than <paramref name="maxWidth"/>
    /// pixels.</summary>
    public string Fit(string text, float maxWidth)
    {
        if (Measure(text) <= maxWidth)
            return text;
        const string ellipsis = "...";
        int length = text.Length;
        while (length > 0 && Measure(text[..length] + ellipsis) > maxWidth)
            length--;
        return text[..length] + ellipsis;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        this.font.Dispose();
        this.paint.Dispose();
    }
}
