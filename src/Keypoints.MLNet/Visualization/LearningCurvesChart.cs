using System.Globalization;
using Keypoints.MLNet.Training;
using ScottPlot;

namespace Keypoints.MLNet.Visualization;

/// <summary>
/// Draws a training history (for example <see cref="Scoring.KeypointModelInfo.History"/>) as learning curves with
/// ScottPlot: train loss (masked MSE in scaled coordinates) per epoch on the left axis, validation RMSE in pixels on
/// the right axis, a legend, and the best validation epoch circled. Only the base network's epochs are drawn;
/// specialist epochs are counted in the title. <see cref="SaveComparisonPng"/> overlays the validation curves of
/// several trainings.
/// </summary>
public static class LearningCurvesChart
{
    private static readonly Color TrainColor = new(31, 119, 180);
    private static readonly Color ValidationColor = new(230, 110, 0);

    // Distinct, print-safe line colors (matplotlib's "tab10"), in the order the curves are given.
    private static readonly Color[] CurveColors = new ScottPlot.Palettes.Category10().Colors;

    /// <summary>Writes the chart of <paramref name="history"/> under <paramref name="title"/> as a PNG to
    /// <paramref name="path"/> (creating its folder).</summary>
    /// <param name="history">Epoch reports, in training order.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">The history has no base-network epoch.</exception>
    public static void SavePng(
        IReadOnlyList<EpochReport> history,
        string title,
        string path,
        int width = 900,
        int height = 540
    )
    {
        ArgumentNullException.ThrowIfNull(history);
        var epochs = history.Where(h => h.Specialist is null).ToArray();
        if (epochs.Length == 0)
        {
            throw new ArgumentException(
                "The training history has no epoch of the base network to draw.",
                nameof(history)
            );
        }

        var plot = NewPlot(title + "\n" + Subtitle(epochs, history.Count - epochs.Length), "epoch", integerX: true);
        plot.Axes.Left.Label.Text = "train loss (masked MSE, scaled coordinates)";
        plot.Axes.Left.Label.ForeColor = TrainColor;
        plot.Axes.Left.TickLabelStyle.ForeColor = TrainColor;
        AddCurve(
            plot,
            [.. epochs.Select(e => (double)e.Epoch)],
            [.. epochs.Select(e => e.TrainLoss)],
            TrainColor,
            "train loss"
        );
        var validated = epochs.Where(e => double.IsFinite(e.ValidationRmse)).ToArray();
        if (validated.Length > 0)
            AddValidation(plot, validated);
        Save(plot, path, width, height);
    }

    /// <summary>Writes the validation RMSE curves of several trainings, one color each, into one chart under
    /// <paramref name="title"/> as a PNG to <paramref name="path"/> (creating its folder): for comparing networks or
    /// settings, as Nouri compares his nets. Each curve's best epoch is circled and named in the legend. Only
    /// base-network epochs are drawn.</summary>
    /// <param name="curves">The trainings, at most ten, each with at least one validated base-network epoch.</param>
    /// <param name="title">The chart's title.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="xAxis">What the x axis counts: epochs, or minutes of training (<see cref="EpochReport.Elapsed"/>),
    /// which compares networks of different cost per epoch at equal training time.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <exception cref="ArgumentException">No curves, more than ten, or a curve without a validated base-network
    /// epoch.</exception>
    public static void SaveComparisonPng(
        IReadOnlyList<LearningCurve> curves,
        string title,
        string path,
        LearningCurvesAxis xAxis = LearningCurvesAxis.Epoch,
        int width = 900,
        int height = 540
    )
    {
        ArgumentNullException.ThrowIfNull(curves);
        if (curves.Count == 0 || curves.Count > CurveColors.Length)
        {
            throw new ArgumentException(
                $"Give 1 to {CurveColors.Length} learning curves to compare; got {curves.Count}.",
                nameof(curves)
            );
        }

        var validated = curves.Select(ValidatedEpochs).ToArray();
        bool byTime = xAxis == LearningCurvesAxis.TrainingTime;
        double X(EpochReport e) => byTime ? e.Elapsed.TotalMinutes : e.Epoch;
        string subtitle = string.Create(
            CultureInfo.InvariantCulture,
            $"validation RMSE of {curves.Count} trainings, best epochs circled"
        );
        var plot = NewPlot(title + "\n" + subtitle, byTime ? "training time (minutes)" : "epoch", integerX: !byTime);
        plot.Axes.Left.Label.Text = "validation RMSE (px)";
        for (int i = 0; i < curves.Count; i++)
        {
            var epochs = validated[i];
            var best = epochs.MinBy(e => e.ValidationRmse)!;
            string legend = string.Create(
                CultureInfo.InvariantCulture,
                $"{curves[i].Name}: best {best.ValidationRmse:F2} px at epoch {best.Epoch} of {epochs.Length}"
            );
            AddCurve(plot, [.. epochs.Select(X)], [.. epochs.Select(e => e.ValidationRmse)], CurveColors[i], legend);
            AddRing(plot, X(best), best.ValidationRmse, CurveColors[i]);
        }
        Save(plot, path, width, height);
    }

    private static EpochReport[] ValidatedEpochs(LearningCurve curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var epochs = curve.History.Where(h => h.Specialist is null && double.IsFinite(h.ValidationRmse)).ToArray();
        return epochs.Length > 0
            ? epochs
            : throw new ArgumentException(
                $"Learning curve '{curve.Name}' has no base-network epoch with a validation RMSE.",
                "curves"
            );
    }

    private static string Subtitle(EpochReport[] epochs, int specialistEpochs)
    {
        var best = epochs.Where(e => e.IsBest && double.IsFinite(e.ValidationRmse)).MaxBy(e => e.Epoch);
        return string.Create(CultureInfo.InvariantCulture, $"{epochs.Length} epochs")
            + (
                best is null
                    ? ""
                    : string.Create(
                        CultureInfo.InvariantCulture,
                        $", best validation RMSE {best.ValidationRmse:F3} px at epoch {best.Epoch}"
                    )
            )
            + (
                specialistEpochs > 0
                    ? string.Create(
                        CultureInfo.InvariantCulture,
                        $" (base network; {specialistEpochs} specialist epochs not shown)"
                    )
                    : ""
            );
    }

    /// <summary>The validation RMSE on the right axis, the best epoch (the last one marked best) dashed and
    /// circled.</summary>
    private static void AddValidation(Plot plot, EpochReport[] validated)
    {
        var right = plot.Axes.Right;
        right.Label.Text = "validation RMSE (px)";
        right.Label.ForeColor = ValidationColor;
        right.TickLabelStyle.ForeColor = ValidationColor;
        var curve = AddCurve(
            plot,
            [.. validated.Select(e => (double)e.Epoch)],
            [.. validated.Select(e => e.ValidationRmse)],
            ValidationColor,
            "validation RMSE (px)"
        );
        curve.Axes.YAxis = right;
        var best = validated.Where(e => e.IsBest).MaxBy(e => e.Epoch);
        if (best is null)
            return;
        var line = plot.Add.VerticalLine(best.Epoch, 1, Colors.Gray);
        line.LinePattern = LinePattern.Dashed;
        var ring = AddRing(plot, best.Epoch, best.ValidationRmse, ValidationColor);
        ring.Axes.YAxis = right;
        ring.LegendText = string.Create(
            CultureInfo.InvariantCulture,
            $"best: {best.ValidationRmse:F3} px at epoch {best.Epoch}"
        );
    }

    private static Plot NewPlot(string title, string xLabel, bool integerX)
    {
        var plot = new Plot();
        plot.Font.Set(TextPaint.Typeface.FamilyName);
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 15);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            IntegerTicksOnly = integerX,
            TickDensity = 0.6,
        };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { TickDensity = 0.5 };
        plot.Axes.Right.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { TickDensity = 0.5 };
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>A line through the finite points; dots on it where there are few enough to tell apart.</summary>
    private static ScottPlot.Plottables.Scatter AddCurve(
        Plot plot,
        double[] xs,
        double[] ys,
        Color color,
        string legend
    )
    {
        int[] finite = Enumerable.Range(0, xs.Length).Where(i => double.IsFinite(ys[i])).ToArray();
        var curve = plot.Add.Scatter(finite.Select(i => xs[i]).ToArray(), finite.Select(i => ys[i]).ToArray(), color);
        curve.LineWidth = 2;
        curve.MarkerSize = finite.Length > 60 ? 0 : 7;
        curve.LegendText = legend;
        return curve;
    }

    private static ScottPlot.Plottables.Marker AddRing(Plot plot, double x, double y, Color color)
    {
        var ring = plot.Add.Marker(x, y, MarkerShape.OpenCircle, 18, color);
        ring.MarkerStyle.LineWidth = 2.5f;
        return ring;
    }

    private static void Save(Plot plot, string path, int width, int height)
    {
        using var surface = SkiaImageFile.CreateSurface(width, height, SkiaSharp.SKColors.White);
        plot.Render(surface.Canvas, width, height);
        SkiaImageFile.WritePng(surface, path);
    }
}
