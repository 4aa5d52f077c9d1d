using Keypoints.MLNet.Training;
using ScottPlot;

namespace Keypoints.Samples.Plots;

/// <summary>Draws the training history as learning curves: train loss on the left axis, validation RMSE in pixels on the right.</summary>
internal static class LearningCurvesChart
{
    private const int WidthPixels = 900;
    private const int HeightPixels = 540;

    /// <summary>Writes the chart of <paramref name="history"/> as a PNG to <paramref name="path"/>.</summary>
    public static void SavePng(IReadOnlyList<EpochReport> history, string title, string path)
    {
        var epochs = history.Select(h => (double)h.Epoch).ToArray();
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("epoch");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

        var train = plot.Add.Scatter(epochs, history.Select(h => h.TrainLoss).ToArray());
        train.LegendText = "train loss (masked MSE, scaled coordinates)";
        train.LineWidth = 2;
        plot.Axes.Left.Label.Text = "train loss";
        plot.Axes.Left.Label.ForeColor = train.Color;

        if (history.Any(h => !double.IsNaN(h.ValidationRmse)))
        {
            var validation = plot.Add.Scatter(epochs, history.Select(h => h.ValidationRmse).ToArray());
            validation.LegendText = "validation RMSE (px)";
            validation.LineWidth = 2;
            validation.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = "validation RMSE (px)";
            plot.Axes.Right.Label.ForeColor = validation.Color;

            var best = history.Where(h => h.IsBest).MaxBy(h => h.Epoch);
            if (best is not null)
            {
                var marker = plot.Add.Marker(best.Epoch, best.ValidationRmse, MarkerShape.OpenCircle, 14, validation.Color);
                marker.LegendText = FormattableString.Invariant($"best: {best.ValidationRmse:F3} px at epoch {best.Epoch}");
                marker.Axes.YAxis = plot.Axes.Right;
            }
        }
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, WidthPixels, HeightPixels);
    }
}
