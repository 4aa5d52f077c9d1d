using System.Globalization;

namespace Keypoints.MLNet.Visualization;

/// <summary>
/// A linear chart axis: the data range widened by a small margin so that points do not sit on the frame, and ticks at
/// "nice" multiples (1, 2 or 5 times a power of ten) of a step chosen for about the requested number of ticks.
/// </summary>
internal sealed class ChartAxis
{
    private const double Margin = 0.05;

    /// <summary>An axis covering <paramref name="low"/> to <paramref name="high"/> (finite, <c>low &lt;= high</c>).</summary>
    /// <param name="low">Smallest data value.</param>
    /// <param name="high">Largest data value.</param>
    /// <param name="ticks">About how many ticks to show.</param>
    /// <param name="integerSteps">Whether ticks must fall on whole numbers (epochs).</param>
    public ChartAxis(double low, double high, int ticks, bool integerSteps = false)
    {
        double span = high - low;
        double pad = span > 0 ? span * Margin : integerSteps ? 0.5 : Math.Max(Math.Abs(low) * 0.1, 1e-6);
        Min = low - pad;
        Max = high + pad;
        Step = NiceStep((Max - Min) / Math.Max(1, ticks));
        if (integerSteps)
            Step = Math.Max(1, Math.Round(Step));
        var values = new List<double>();
        for (double tick = Math.Ceiling(Min / Step) * Step; tick <= Max + (Step * 1e-9); tick += Step)
            values.Add(Math.Abs(tick) < Step * 1e-9 ? 0 : tick);
        Ticks = values;
        Decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(Step)));
    }

    /// <summary>The value at the start of the axis.</summary>
    public double Min { get; }

    /// <summary>The value at the end of the axis.</summary>
    public double Max { get; }

    /// <summary>The distance between ticks.</summary>
    public double Step { get; }

    /// <summary>The tick values, ascending, all within the axis.</summary>
    public IReadOnlyList<double> Ticks { get; }

    /// <summary>Decimal places that tell the ticks apart.</summary>
    public int Decimals { get; }

    /// <summary>The pixel position of <paramref name="value"/> on an axis drawn from <paramref name="start"/> (at
    /// <see cref="Min"/>) to <paramref name="end"/> (at <see cref="Max"/>).</summary>
    public float Map(double value, float start, float end) => start + (float)((value - Min) / (Max - Min) * (end - start));

    /// <summary>The tick label of <paramref name="value"/>, invariant culture.</summary>
    public string Label(double value) => value.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static double NiceStep(double raw)
    {
        double power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / power;
        double nice = fraction < 1.5 ? 1 : fraction < 3.5 ? 2 : fraction < 7.5 ? 5 : 10;
        return nice * power;
    }
}
