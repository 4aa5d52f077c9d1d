using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Evaluation;

/// <summary>Computes <see cref="KeypointMetrics"/> from a scored <see cref="IDataView"/>.</summary>
internal static class KeypointEvaluator
{
    /// <summary>Compares <paramref name="scoreColumn"/> with <paramref name="labelColumn"/> (both <c>2K</c> pixel coordinates,
    /// NaN labels ignored) over every row of <paramref name="data"/>, for <paramref name="layout"/> or, when it is null, the layout
    /// that <see cref="KeypointLayoutResolver"/> finds for the label column (or for the score column, when only that one names
    /// its coordinates).</summary>
    /// <remarks>A data error that ML.NET wraps while the rows are read reaches the caller unwrapped (<see cref="WrappedDataError"/>).</remarks>
    public static KeypointMetrics Evaluate(IDataView data, KeypointLayout? layout, string labelColumn, string scoreColumn, int extremeRows) =>
        WrappedDataError.Unwrap(() => EvaluateRows(data, layout, labelColumn, scoreColumn, extremeRows));

    private static KeypointMetrics EvaluateRows(IDataView data, KeypointLayout? layout, string labelColumn, string scoreColumn, int extremeRows)
    {
        // Rows built in memory have no label names; a scoring transform may still name its output's coordinates.
        bool scoreNamesTheKeypoints = layout is null && !KeypointLayoutResolver.HasSlotNames(data.Schema, labelColumn)
            && KeypointLayoutResolver.HasSlotNames(data.Schema, scoreColumn);
        layout = KeypointLayoutResolver.Resolve(data, layout, scoreNamesTheKeypoints ? scoreColumn : labelColumn, nameof(layout));
        int n = layout.CoordinateCount;
        var label = SchemaChecks.RequireSingleVector(data.Schema, labelColumn, "label", n);
        var score = SchemaChecks.RequireSingleVector(data.Schema, scoreColumn, "score", n);
        var normalizer = new NmeNormalizer(layout);
        var squaredPerCoordinate = new double[n];
        var presentPerCoordinate = new long[n];
        var distanceSum = new double[layout.KeypointCount];
        var pointCount = new int[layout.KeypointCount];
        var rows = new List<RowError>();
        double nmeSum = 0;
        long nmeRows = 0;
        using var cursor = data.GetRowCursor(new[] { label, score });
        var getLabel = cursor.GetGetter<VBuffer<float>>(label);
        var getScore = cursor.GetGetter<VBuffer<float>>(score);
        VBuffer<float> labelBuffer = default, scoreBuffer = default;
        var truth = new float[n];
        var predicted = new float[n];
        long row = 0;
        while (cursor.MoveNext())
        {
            getLabel(ref labelBuffer);
            getScore(ref scoreBuffer);
            labelBuffer.CopyTo(truth);
            scoreBuffer.CopyTo(predicted);
            double rowSquared = 0, rowDistance = 0;
            int rowPresent = 0, rowPoints = 0;
            for (int c = 0; c < n; c++)
            {
                if (float.IsNaN(truth[c]))
                    continue;
                double d = predicted[c] - truth[c];
                squaredPerCoordinate[c] += d * d;
                presentPerCoordinate[c]++;
                rowSquared += d * d;
                rowPresent++;
            }
            for (int k = 0; k < layout.KeypointCount; k++)
            {
                if (float.IsNaN(truth[2 * k]) || float.IsNaN(truth[2 * k + 1]))
                    continue;
                double distance = Math.Sqrt(Square(predicted[2 * k] - truth[2 * k]) + Square(predicted[2 * k + 1] - truth[2 * k + 1]));
                distanceSum[k] += distance;
                pointCount[k]++;
                rowDistance += distance;
                rowPoints++;
            }
            double normalizing = normalizer.Length(truth);
            double rowNme = rowPoints > 0 && normalizing > 0 ? rowDistance / rowPoints / normalizing : double.NaN;
            if (!double.IsNaN(rowNme))
            {
                nmeSum += rowNme;
                nmeRows++;
            }
            if (rowPresent > 0)
                rows.Add(new RowError(row, Math.Sqrt(rowSquared / rowPresent), rowNme));
            row++;
        }
        long present = presentPerCoordinate.Sum();
        double rmse = present > 0 ? Math.Sqrt(squaredPerCoordinate.Sum() / present) : double.NaN;
        var perKeypoint = Enumerable.Range(0, layout.KeypointCount).Select(k =>
        {
            long count = presentPerCoordinate[2 * k] + presentPerCoordinate[2 * k + 1];
            double squared = squaredPerCoordinate[2 * k] + squaredPerCoordinate[2 * k + 1];
            return new KeypointError(layout.KeypointNames[k], count > 0 ? Math.Sqrt(squared / count) : double.NaN,
                pointCount[k] > 0 ? distanceSum[k] / pointCount[k] : double.NaN, pointCount[k]);
        }).ToArray();
        var ordered = rows.OrderBy(r => r.Rmse).ToArray();
        return new KeypointMetrics(rmse, nmeRows > 0 ? nmeSum / nmeRows : double.NaN,
            normalizer.Description, perKeypoint,
            ordered.Take(extremeRows).ToArray(), ordered.Reverse().Take(extremeRows).ToArray(), row, present);
    }

    private static double Square(double v) => v * v;
}
