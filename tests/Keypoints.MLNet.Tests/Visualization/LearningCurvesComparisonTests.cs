using Keypoints.MLNet.Training;
using Keypoints.MLNet.Visualization;
using SkiaSharp;

namespace Keypoints.MLNet.Tests.Visualization;

/// <summary><see cref="LearningCurvesChart.SaveComparisonPng"/>: several trainings' validation curves in one
/// chart.</summary>
public sealed class LearningCurvesComparisonTests
{
    private static readonly SKColor First = new(31, 119, 180);
    private static readonly SKColor Second = new(255, 127, 14);

    private static EpochReport[] History(int epochs, double start, double minutesPerEpoch) =>
        [
            .. Enumerable
                .Range(1, epochs)
                .Select(e => new EpochReport(
                    e,
                    0.1 / e,
                    start / Math.Sqrt(e),
                    1e-3,
                    100,
                    TimeSpan.FromMinutes(e * minutesPerEpoch),
                    IsBest: true
                )),
        ];

    private static int Count(SKBitmap bitmap, SKColor color)
    {
        int count = 0;
        for (int y = 0; y < bitmap.Height; y++)
        {
            for (int x = 0; x < bitmap.Width; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                if (pixel.Red == color.Red && pixel.Green == color.Green && pixel.Blue == color.Blue)
                    count++;
            }
        }
        return count;
    }

    [Theory]
    [InlineData(LearningCurvesAxis.Epoch)]
    [InlineData(LearningCurvesAxis.TrainingTime)]
    public void SaveComparisonPng_DrawsEveryCurveInItsOwnColor_AtTheRequestedSize(LearningCurvesAxis axis)
    {
        using var temp = new TempFolder();
        string path = temp.File("charts/compare.png");
        LearningCurvesChart.SaveComparisonPng(
            [new LearningCurve("fast", History(40, 12, 0.05)), new LearningCurve("slow", History(3, 6, 1))],
            "two nets",
            path,
            axis,
            width: 700,
            height: 420
        );

        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal(700, bitmap.Width);
        Assert.Equal(420, bitmap.Height);
        Assert.True(Count(bitmap, First) > 100, "the first curve's color is missing");
        Assert.True(Count(bitmap, Second) > 50, "the second curve's color is missing");
    }

    [Fact]
    public void SaveComparisonPng_Throws_NamingACurveWithoutValidationRmse()
    {
        using var temp = new TempFolder();
        var unvalidated = History(3, double.NaN, 1);
        var e = Assert.Throws<ArgumentException>(() =>
            LearningCurvesChart.SaveComparisonPng(
                [new LearningCurve("ok", History(3, 6, 1)), new LearningCurve("no validation", unvalidated)],
                "t",
                temp.File("c.png")
            )
        );
        Assert.Contains("'no validation'", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(temp.File("c.png")));
    }

    [Fact]
    public void SaveComparisonPng_Throws_WithoutCurves()
    {
        using var temp = new TempFolder();
        Assert.Throws<ArgumentException>(() => LearningCurvesChart.SaveComparisonPng([], "t", temp.File("c.png")));
    }
}
