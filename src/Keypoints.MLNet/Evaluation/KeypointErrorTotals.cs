using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Evaluation;

/// <summary>Running sums of the errors of evaluated rows, one row at a time (<see cref="Add"/>), turned into
/// <see cref="KeypointMetrics"/> at the end.</summary>
internal sealed class KeypointErrorTotals
{
    private readonly KeypointLayout layout;
    private readonly NmeNormalizer normalizer;
    private readonly NmeNormalizer? outerCorners;
    private readonly double[] squaredPerCoordinate;
    private readonly long[] presentPerCoordinate;
    private readonly double[] distanceSum;
    private readonly int[] pointCount;
    private readonly List<RowError> rows = [];
    private double nmeSum;
    private long nmeRows;
    private double cornerNmeSum;
    private long cornerNmeRows;
    private long rowCount;

    public KeypointErrorTotals(KeypointLayout layout)
    {
        this.layout = layout;
        normalizer = new NmeNormalizer(layout);
        outerCorners = NmeNormalizer.ForOuterEyeCorners(layout);
        squaredPerCoordinate = new double[layout.CoordinateCount];
        presentPerCoordinate = new long[layout.CoordinateCount];
        distanceSum = new double[layout.KeypointCount];
        pointCount = new int[layout.KeypointCount];
    }

    /// <summary>Adds one row: <c>2K</c> true and predicted pixel coordinates; NaN true coordinates are not
    /// labelled.</summary>
    public void Add(float[] truth, float[] predicted)
    {
        var (rowSquared, rowPresent) = AddCoordinates(truth, predicted);
        var (rowDistance, rowPoints) = AddPoints(truth, predicted);
        double normalizing = normalizer.Length(truth);
        double rowNme = rowPoints > 0 && normalizing > 0 ? rowDistance / rowPoints / normalizing : double.NaN;
        if (!double.IsNaN(rowNme))
        {
            nmeSum += rowNme;
            nmeRows++;
        }
        double corners = outerCorners?.Length(truth) ?? double.NaN;
        if (rowPoints > 0 && corners > 0)
        {
            cornerNmeSum += rowDistance / rowPoints / corners;
            cornerNmeRows++;
        }
        if (rowPresent > 0)
            rows.Add(new RowError(rowCount, Math.Sqrt(rowSquared / rowPresent), rowNme));
        rowCount++;
    }

    /// <summary>The metrics of the rows added so far, with the <paramref name="extremeRows"/> best and worst
    /// rows.</summary>
    public KeypointMetrics ToMetrics(int extremeRows)
    {
        long present = presentPerCoordinate.Sum();
        var ordered = rows.OrderBy(r => r.Rmse).ToArray();
        return new KeypointMetrics
        {
            Rmse = present > 0 ? Math.Sqrt(squaredPerCoordinate.Sum() / present) : double.NaN,
            Nme = nmeRows > 0 ? nmeSum / nmeRows : double.NaN,
            NmeNormalization = normalizer.Description,
            NmeOuterEyeCorners = cornerNmeRows > 0 ? cornerNmeSum / cornerNmeRows : double.NaN,
            PerKeypoint = Enumerable.Range(0, layout.KeypointCount).Select(PerKeypoint).ToArray(),
            Best = ordered.Take(extremeRows).ToArray(),
            Worst = ordered.Reverse().Take(extremeRows).ToArray(),
            Rows = rowCount,
            PresentCoordinates = present,
        };
    }

    private (double Squared, int Present) AddCoordinates(float[] truth, float[] predicted)
    {
        double rowSquared = 0;
        int rowPresent = 0;
        for (int c = 0; c < truth.Length; c++)
        {
            if (float.IsNaN(truth[c]))
                continue;
            double d = predicted[c] - truth[c];
            squaredPerCoordinate[c] += d * d;
            presentPerCoordinate[c]++;
            rowSquared += d * d;
            rowPresent++;
        }
        return (rowSquared, rowPresent);
    }

    private (double Distance, int Points) AddPoints(float[] truth, float[] predicted)
    {
        double rowDistance = 0;
        int rowPoints = 0;
        for (int k = 0; k < layout.KeypointCount; k++)
        {
            if (float.IsNaN(truth[2 * k]) || float.IsNaN(truth[2 * k + 1]))
                continue;
            double distance = Math.Sqrt(
                Square(predicted[2 * k] - truth[2 * k]) + Square(predicted[2 * k + 1] - truth[2 * k + 1])
            );
            distanceSum[k] += distance;
            pointCount[k]++;
            rowDistance += distance;
            rowPoints++;
        }
        return (rowDistance, rowPoints);
    }

    private KeypointError PerKeypoint(int k)
    {
        long count = presentPerCoordinate[2 * k] + presentPerCoordinate[2 * k + 1];
        double squared = squaredPerCoordinate[2 * k] + squaredPerCoordinate[2 * k + 1];
        return new KeypointError(
            layout.KeypointNames[k],
            count > 0 ? Math.Sqrt(squared / count) : double.NaN,
            pointCount[k] > 0 ? distanceSum[k] / pointCount[k] : double.NaN,
            pointCount[k]
        );
    }

    private static double Square(double v) => v * v;
}
