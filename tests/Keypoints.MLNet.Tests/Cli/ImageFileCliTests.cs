using System.Globalization;
using System.Text.Json;
using Keypoints.MLNet.Tests.Tiers;
using SkiaSharp;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary>The CLI on CSVs of image files: training, evaluation with contact sheets, and overlay pictures.</summary>
[Trait("Category", "Integration")]
public sealed class ImageFileCliTests(ImageFileCliFixture fixture) : IClassFixture<ImageFileCliFixture>
{
    [TierFact(Needs.FaceData)]
    public void Train_OnAnImageFileCsvWithRelativePaths_SavesTheModel()
    {
        Assert.Contains("image files: 68 keypoints", fixture.TrainOutput, StringComparison.Ordinal);
        Assert.Matches(@"epoch\s+1\s+train loss \d+\.\d+\s+validation RMSE \d+\.\d+ px", fixture.TrainOutput);
        Assert.True(File.Exists(fixture.ModelPath));
    }

    [TierFact(Needs.FaceData)]
    public void Evaluate_OnAnImageFileCsv_PrintsRmseAndNmeInPixelsOfTheOriginalImages()
    {
        var result = Cli.Run("evaluate", "--model", fixture.ModelPath, "--data", fixture.ValidationCsv);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        double rmse = double.Parse(
            Assert.Single(lines, l => l.StartsWith("RMSE ", StringComparison.Ordinal))[5..],
            CultureInfo.InvariantCulture
        );
        // One epoch on 64 faces learns little more than the mean face; a wrong mapping back to the original image's
        // pixels would be off by tens of pixels or more.
        Assert.InRange(rmse, 1, 60);
        Assert.Single(lines, l => l.StartsWith("NME ", StringComparison.Ordinal));
    }

    [TierFact(Needs.FaceData)]
    public void TrainAndEvaluate_MeasureTheModelWithAndWithoutTestTimeFlip_Alike()
    {
        string withFlip = RmseAfter(fixture.TrainOutput, "validation of the saved model: ");
        string withoutFlip = RmseAfter(fixture.TrainOutput, "the same networks without test-time flip: ");
        var evaluated = Cli.Run("evaluate", "--model", fixture.ModelPath, "--data", fixture.ValidationCsv);
        var evaluatedWithout = Cli.Run(
            "evaluate",
            "--model",
            fixture.ModelPath,
            "--data",
            fixture.ValidationCsv,
            "--no-tta"
        );

        Assert.True(evaluatedWithout.ExitCode == 0, evaluatedWithout.StandardOutput + evaluatedWithout.StandardError);
        Assert.NotEqual(withFlip, withoutFlip);
        Assert.Equal(withFlip, RmseAfter(evaluated.StandardOutput, ""));
        Assert.Equal(withoutFlip, RmseAfter(evaluatedWithout.StandardOutput, ""));
    }

    /// <summary>The RMSE figure of the line that starts with <paramref name="prefix"/> and "RMSE ".</summary>
    private static string RmseAfter(string output, string prefix) =>
        Assert
            .Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l =>
                l.StartsWith(prefix + "RMSE ", StringComparison.Ordinal)
            )[(prefix.Length + 5)..]
            .Split(' ')[0];

    [TierFact(Needs.FaceData)]
    public void Info_DescribesTheImageFileModel_ItsLayoutAndInputSize()
    {
        var result = Cli.Run("info", "--model", fixture.ModelPath);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var info = JsonDocument.Parse(result.StandardOutput).RootElement;
        Assert.Equal(68, info.GetProperty("keypoints").GetArrayLength());
        Assert.True(info.GetProperty("flipPairs").GetArrayLength() > 0);
        Assert.Equal(48, info.GetProperty("inputWidth").GetInt32());
        Assert.Equal(48, info.GetProperty("inputHeight").GetInt32());
        Assert.Equal(1, info.GetProperty("epochs").GetInt32());
    }

    [TierFact(Needs.FaceData)]
    public void Evaluate_WithSheet_WritesBestAndWorstPngs()
    {
        string sheets = fixture.File("sheets");

        var result = Cli.Run(
            "evaluate",
            "--model",
            fixture.ModelPath,
            "--data",
            fixture.ValidationCsv,
            "--sheet",
            sheets
        );

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        foreach (string? name in new[] { "best.png", "worst.png" })
        {
            var (width, height) = PngSize(Path.Combine(sheets, name));
            Assert.True(
                width >= 800 && height >= 800,
                $"{name} is {width}x{height}; 16 faces in 4 rows of 200-pixel tiles expected"
            );
        }
    }

    [TierFact(Needs.FaceData)]
    public void Predict_WithImage_WritesAPngOfThatImageAtLeast320PixelsHigh()
    {
        string output = fixture.File("overlay/face.png");

        var result = Cli.Run(
            "predict",
            "--model",
            fixture.ModelPath,
            "--image",
            fixture.FirstValidationImage(),
            "--out",
            output,
            "--names"
        );

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("68 keypoints", result.StandardOutput, StringComparison.Ordinal);
        var (width, height) = PngSize(output);
        Assert.True(Math.Min(width, height) >= 320, $"overlay is {width}x{height}");
    }

    [TierTheory(Needs.FaceData)]
    [InlineData("truncated", "cannot be decoded completely")]
    [InlineData("text", "is not an image")]
    [InlineData("empty", "is empty")]
    public void Predict_WithAnImageThatCannotBeDecoded_PrintsOneLineNamingTheFile(string kind, string expected)
    {
        string path = fixture.File($"broken/{kind}.jpg");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        byte[] jpeg = File.ReadAllBytes(fixture.FirstValidationImage());
        File.WriteAllBytes(
            path,
            kind switch
            {
                "truncated" => jpeg[..(jpeg.Length / 2)],
                "text" => "not a picture"u8.ToArray(),
                _ => [],
            }
        );

        var result = Cli.Run(
            "predict",
            "--model",
            fixture.ModelPath,
            "--image",
            path,
            "--out",
            fixture.File($"broken/{kind}.png")
        );

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists(fixture.File($"broken/{kind}.png")));
    }

    private static (int Width, int Height) PngSize(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        using var codec = SKCodec.Create(path);
        Assert.NotNull(codec);
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        return (codec.Info.Width, codec.Info.Height);
    }
}
