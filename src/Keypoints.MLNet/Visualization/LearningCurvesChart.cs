using System.Globalization;
using Keypoints.MLNet.Training;
using SkiaSharp;

namespace Keypoints.MLNet.Visualization;

/// <summary>
/// Draws a training history (for example <see cref="Scoring.KeypointModelInfo.History"/>) as learning curves: train loss
/// (masked MSE in scaled coordinates) per epoch on the left axis, validation RMSE in pixels on the right axis, a legend,
/// and the best validation epoch circled. Only the base network's epochs are drawn; specialist epochs are counted in the
/// subtitle. <see cref="SaveComparisonPng"/> overlays the validation curves of several trainings.
/// </summary>
public static class LearningCurvesChart
{
    private const float Left = 92, Right = 92, Top = 66, Bottom = 70;
    private static readonly SKColor TrainColor = new(31, 119, 180);
    private static readonly SKColor ValidationColor = new(230, 110, 0);
    private static readonly SKColor GridColor = new(225, 225, 225);
    private static readonly SKColor AxisColor = new(40, 40, 40);

    // Distinct, print-safe line colors (matplotlib's "tab10"), in the order the curves are given.
    private static readonly SKColor[] CurveColors =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    /// <summary>Writes the chart of <paramref name="history"/> under <paramref name="title"/> as a PNG to
    /// <paramref name="path"/> (creating its folder).</summary>
    /// <param name="history">Epoch reports, in training order.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">The history has no base-network epoch.</exception>
    public static void SavePng(IReadOnlyList<EpochReport> history, string title, string path, int width = 900, int height = 540)
    {
        ArgumentNullException.ThrowIfNull(history);
        var epochs = history.Where(h => h.Specialist is null).ToArray();
        if (epochs.Length == 0)
            throw new ArgumentException("The training history has no epoch of the base network to draw.", nameof(history));
        using var surface = SkiaImageFile.CreateSurface(width, height, SKColors.White);
        Draw(surface.Canvas, width, height, epochs, title, history.Count - epochs.Length);
        SkiaImageFile.WritePng(surface, path);
    }

    /// <summary>Writes the validation RMSE curves of several trainings, one color each, into one chart under
    /// <paramref name="title"/> as a PNG to <paramref name="path"/> (creating its folder): for comparing networks or
    /// settings, as Nouri compares his nets. Each curve's best epoch is circled and named in the legend. Only base-network
    /// epochs are drawn.</summary>
    /// <param name="curves">The trainings, at most ten, each with at least one validated base-network epoch.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="xAxis">What the x axis counts: epochs, or minutes of training (<see cref="EpochReport.Elapsed"/>),
    /// which compares networks of different cost per epoch at equal training time.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">No curves, more than ten, or a curve without a validated base-network epoch.</exception>
    public static void SaveComparisonPng(IReadOnlyList<LearningCurve> curves, string title, string path,
        LearningCurvesAxis xAxis = LearningCurvesAxis.Epoch, int width = 900, int height = 540)
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0 || curves.Count > CurveColors.Length)
            throw new ArgumentException($"Give 1 to {CurveColors.Length} learning curves to compare; got {curves.Count}.", nameof(curves));
        var validated = curves.Select(c =>
        {
            ArgumentNullException.ThrowIfNull(c);
            var epochs = c.History.Where(h => h.Specialist is null && double.IsFinite(h.ValidationRmse)).ToArray();
            return epochs.Length > 0 ? epochs
                : throw new ArgumentException($"Learning curve '{c.Name}' has no base-network epoch with a validation RMSE.", nameof(curves));
        }).ToArray();
        using var surface = SkiaImageFile.CreateSurface(width, height, SKColors.White);
        DrawComparison(surface.Canvas, width, height, curves, validated, title, xAxis);
        SkiaImageFile.WritePng(surface, path);
    }

    private static void DrawComparison(SKCanvas canvas, int width, int height, IReadOnlyList<LearningCurve> curves,
        EpochReport[][] epochs, string title, LearningCurvesAxis xAxis)
    {
        var plot = new SKRect(Left, Top, width - 30, height - Bottom);
        bool byTime = xAxis == LearningCurvesAxis.TrainingTime;
        double X(EpochReport e) => byTime ? e.Elapsed.TotalMinutes : e.Epoch;
        var all = epochs.SelectMany(e => e).ToArray();
        var x = byTime ? new ChartAxis(0, all.Max(X), 10) : new ChartAxis(1, all.Max(X), 10, integerSteps: true);
        var rmse = AxisOf(all.Select(e => e.ValidationRmse));

        using var titlePaint = TextPaint.Create(18, AxisColor, SKTextAlign.Center);
        using var subtitlePaint = TextPaint.Create(13, SKColors.DimGray, SKTextAlign.Center);
        canvas.DrawText(TextPaint.Fit(titlePaint, title, width - 20), width / 2f, 26, titlePaint);
        canvas.DrawText(string.Create(CultureInfo.InvariantCulture, $"validation RMSE of {curves.Count} trainings, best epochs circled"),
            width / 2f, 46, subtitlePaint);
        DrawGridAndFrame(canvas, plot, x, rmse);
        DrawXAxis(canvas, plot, x, byTime ? "training time (minutes)" : "epoch");
        DrawYAxis(canvas, plot, rmse, AxisColor, "validation RMSE (px)", onLeft: true, width);
        var legend = new List<(string Text, SKColor Color, bool Ring)>();
        for (int i = 0; i < curves.Count; i++)
        {
            var color = CurveColors[i];
            DrawSeries(canvas, plot, x, rmse, epochs[i].Select(e => (X(e), e.ValidationRmse)).ToArray(), color);
            var best = epochs[i].MinBy(e => e.ValidationRmse)!;
            DrawBest(canvas, plot, x, rmse, X(best), best.ValidationRmse, color);
            legend.Add((string.Create(CultureInfo.InvariantCulture,
                $"{curves[i].Name}: best {best.ValidationRmse:F2} px at epoch {best.Epoch} of {epochs[i].Length}"), color, false));
        }
        DrawLegend(canvas, plot, legend);
    }

    private static void Draw(SKCanvas canvas, int width, int height, EpochReport[] epochs, string title, int specialistEpochs)
    {
        var plot = new SKRect(Left, Top, width - Right, height - Bottom);
        var validated = epochs.Where(e => double.IsFinite(e.ValidationRmse)).ToArray();
        var x = new ChartAxis(epochs[0].Epoch, epochs[^1].Epoch, 10, integerSteps: true);
        var loss = AxisOf(epochs.Select(e => e.TrainLoss));
        var rmse = validated.Length > 0 ? AxisOf(validated.Select(e => e.ValidationRmse)) : null;

        using var titlePaint = TextPaint.Create(18, AxisColor, SKTextAlign.Center);
        using var subtitlePaint = TextPaint.Create(13, SKColors.DimGray, SKTextAlign.Center);
        canvas.DrawText(TextPaint.Fit(titlePaint, title, width - 20), width / 2f, 26, titlePaint);
        var best = validated.Where(e => e.IsBest).MaxBy(e => e.Epoch);
        var subtitle = string.Create(CultureInfo.InvariantCulture, $"{epochs.Length} epochs")
            + (best is null ? "" : string.Create(CultureInfo.InvariantCulture, $", best validation RMSE {best.ValidationRmse:F3} px at epoch {best.Epoch}"))
            + (specialistEpochs > 0 ? string.Create(CultureInfo.InvariantCulture, $" (base network; {specialistEpochs} specialist epochs not shown)") : "");
        canvas.DrawText(subtitle, width / 2f, 46, subtitlePaint);

        DrawGridAndFrame(canvas, plot, x, loss);
        DrawXAxis(canvas, plot, x, "epoch");
        DrawYAxis(canvas, plot, loss, TrainColor, "train loss (masked MSE, scaled coordinates)", onLeft: true, width);
        DrawSeries(canvas, plot, x, loss, epochs.Select(e => ((double)e.Epoch, e.TrainLoss)).ToArray(), TrainColor);
        var legend = new List<(string Text, SKColor Color, bool Ring)> { ("train loss", TrainColor, false) };
        if (rmse is not null)
        {
            DrawYAxis(canvas, plot, rmse, ValidationColor, "validation RMSE (px)", onLeft: false, width);
            DrawSeries(canvas, plot, x, rmse, validated.Select(e => ((double)e.Epoch, e.ValidationRmse)).ToArray(), ValidationColor);
            legend.Add(("validation RMSE (px)", ValidationColor, false));
            if (best is not null)
            {
                DrawBestEpochLine(canvas, plot, x, best.Epoch);
                DrawBest(canvas, plot, x, rmse, best.Epoch, best.ValidationRmse, ValidationColor);
                legend.Add((string.Create(CultureInfo.InvariantCulture, $"best: {best.ValidationRmse:F3} px at epoch {best.Epoch}"), ValidationColor, true));
            }
        }
        DrawLegend(canvas, plot, legend);
    }

    private static ChartAxis AxisOf(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        return new ChartAxis(finite.Min(), finite.Max(), 6);
    }

    private static void DrawGridAndFrame(SKCanvas canvas, SKRect plot, ChartAxis x, ChartAxis y)
    {
        using var grid = new SKPaint { Color = GridColor, StrokeWidth = 1, IsStroke = true };
        foreach (var tick in x.Ticks)
        {
            float px = x.Map(tick, plot.Left, plot.Right);
            canvas.DrawLine(px, plot.Top, px, plot.Bottom, grid);
        }
        foreach (var tick in y.Ticks)
        {
            float py = y.Map(tick, plot.Bottom, plot.Top);
            canvas.DrawLine(plot.Left, py, plot.Right, py, grid);
        }
        using var frame = new SKPaint { Color = AxisColor, StrokeWidth = 1, IsStroke = true };
        canvas.DrawRect(plot, frame);
    }

    private static void DrawXAxis(SKCanvas canvas, SKRect plot, ChartAxis x, string title)
    {
        using var tickPaint = new SKPaint { Color = AxisColor, StrokeWidth = 1 };
        using var label = TextPaint.Create(13, AxisColor, SKTextAlign.Center);
        foreach (var tick in x.Ticks)
        {
            float px = x.Map(tick, plot.Left, plot.Right);
            canvas.DrawLine(px, plot.Bottom, px, plot.Bottom + 5, tickPaint);
            canvas.DrawText(x.Label(tick), px, plot.Bottom + 20, label);
        }
        using var axisTitle = TextPaint.Create(15, AxisColor, SKTextAlign.Center);
        canvas.DrawText(title, plot.MidX, plot.Bottom + 48, axisTitle);
    }

    private static void DrawYAxis(SKCanvas canvas, SKRect plot, ChartAxis y, SKColor color, string title, bool onLeft, int width)
    {
        float edge = onLeft ? plot.Left : plot.Right, outward = onLeft ? -1 : 1;
        using var tickPaint = new SKPaint { Color = color, StrokeWidth = 1 };
        using var label = TextPaint.Create(13, color, onLeft ? SKTextAlign.Right : SKTextAlign.Left);
        foreach (var tick in y.Ticks)
        {
            float py = y.Map(tick, plot.Bottom, plot.Top);
            canvas.DrawLine(edge, py, edge + (5 * outward), py, tickPaint);
            canvas.DrawText(y.Label(tick), edge + (8 * outward), py + 4.5f, label);
        }
        using var axisTitle = TextPaint.Create(15, color, SKTextAlign.Center);
        // Rotated a quarter turn so that the title reads upwards on the left and downwards on the right.
        float tx = onLeft ? 24 : width - 24;
        canvas.Save();
        canvas.RotateDegrees(onLeft ? -90 : 90, tx, plot.MidY);
        canvas.DrawText(title, tx, plot.MidY, axisTitle);
        canvas.Restore();
    }

    private static void DrawSeries(SKCanvas canvas, SKRect plot, ChartAxis x, ChartAxis y, (double X, double Value)[] points, SKColor color)
    {
        var finite = points.Where(p => double.IsFinite(p.Value))
            .Select(p => new SKPoint(x.Map(p.X, plot.Left, plot.Right), y.Map(p.Value, plot.Bottom, plot.Top))).ToArray();
        using var line = new SKPaint { Color = color, StrokeWidth = 2, IsStroke = true, IsAntialias = true, StrokeJoin = SKStrokeJoin.Round };
        using var path = new SKPath();
        if (finite.Length > 0)
            path.AddPoly(finite, close: false);
        canvas.DrawPath(path, line);
        if (finite.Length > 60)
            return;
        using var dot = new SKPaint { Color = color, IsAntialias = true };
        foreach (var point in finite)
            canvas.DrawCircle(point, 3.5f, dot);
    }

    private static void DrawBestEpochLine(SKCanvas canvas, SKRect plot, ChartAxis x, double bestX)
    {
        float px = x.Map(bestX, plot.Left, plot.Right);
        using var dashes = SKPathEffect.CreateDash([5, 4], 0);
        using var marker = new SKPaint { Color = SKColors.Gray, StrokeWidth = 1, IsStroke = true, PathEffect = dashes };
        canvas.DrawLine(px, plot.Top, px, plot.Bottom, marker);
    }

    private static void DrawBest(SKCanvas canvas, SKRect plot, ChartAxis x, ChartAxis y, double bestX, double bestValue, SKColor color)
    {
        float px = x.Map(bestX, plot.Left, plot.Right), py = y.Map(bestValue, plot.Bottom, plot.Top);
        using var ring = new SKPaint { Color = color, StrokeWidth = 2.5f, IsStroke = true, IsAntialias = true };
        canvas.DrawCircle(px, py, 9, ring);
    }

    private static void DrawLegend(SKCanvas canvas, SKRect plot, List<(string Text, SKColor Color, bool Ring)> entries)
    {
        using var text = TextPaint.Create(13, AxisColor);
        const float row = 20, swatch = 26, padding = 8;
        float boxWidth = entries.Max(e => text.MeasureText(e.Text)) + swatch + (3 * padding);
        var box = SKRect.Create(plot.Right - boxWidth - 10, plot.Top + 10, boxWidth, (entries.Count * row) + padding);
        using var background = new SKPaint { Color = SKColors.White.WithAlpha(230) };
        using var border = new SKPaint { Color = SKColors.Gray, IsStroke = true, StrokeWidth = 1 };
        canvas.DrawRect(box, background);
        canvas.DrawRect(box, border);
        for (int i = 0; i < entries.Count; i++)
        {
            var (label, color, ring) = entries[i];
            float y = box.Top + padding + (i * row) + (row / 2) - 2;
            float sx = box.Left + padding;
            using var paint = new SKPaint { Color = color, StrokeWidth = ring ? 2.5f : 2, IsStroke = ring, IsAntialias = true };
            if (ring)
            {
                canvas.DrawCircle(sx + (swatch / 2), y, 7, paint);
            }
            else
            {
                canvas.DrawLine(sx, y, sx + swatch, y, paint);
                canvas.DrawCircle(sx + (swatch / 2), y, 3.5f, paint);
            }
            canvas.DrawText(label, sx + swatch + padding, y + 4.5f, text);
        }
    }
}
