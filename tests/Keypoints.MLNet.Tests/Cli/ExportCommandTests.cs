using System.Globalization;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Tests.Tiers;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary>The CLI's <c>export</c> command: the .onnx file it writes in each weight format, what it prints, and its
/// errors.</summary>
[Trait("Category", "Integration")]
public sealed class ExportCommandTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [TierTheory(Needs.FaceData)]
    [InlineData("float32", 0.95, 1.0)]
    [InlineData("float16", 0.4, 0.55)]
    [InlineData("int8", 0.2, 0.3)]
    public void Export_WritesTheGraphWithTheWeightsAsked_PrintsItsSize_AndTheFileLoadsInOtherCommands(
        string weights,
        double smallest,
        double largest
    )
    {
        using var temp = new TempFolder();
        string model = ModelFiles.SaveZip(fixture, temp.File("model.zip"));
        string output = temp.File("model.onnx");

        var result = Cli.Run("export", "--model", model, "--out", output, "--weights", weights);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        long bytes = new FileInfo(output).Length;
        Assert.Equal(
            string.Create(
                CultureInfo.InvariantCulture,
                $"wrote {output}: {bytes} bytes ({bytes / 1e6:F1} MB), {weights} weights"
            ),
            result.StandardOutput.Trim()
        );
        Assert.InRange((double)bytes / fixture.Model.OnnxGraph.Length, smallest, largest);
        var plot = Cli.Run("plot", "--model", output, "--out", temp.File("plots"));
        Assert.True(plot.ExitCode == 0, plot.StandardOutput + plot.StandardError);
        Assert.True(
            File.Exists(Path.Combine(temp.File("plots"), "kernels.png")),
            "the kernels of the compressed first layer should be drawn"
        );
        var evaluate = Cli.Run("evaluate", "--model", output, "--data", SmallFaces.ValidationCsv);
        Assert.True(evaluate.ExitCode == 0, evaluate.StandardOutput + evaluate.StandardError);
    }

    [TierFact(Needs.FaceData)]
    public void Export_ExitsTwo_WithOneErrorLine_ForAnUnknownWeightFormat()
    {
        using var temp = new TempFolder();

        var result = Cli.Run(
            "export",
            "--model",
            temp.File("model.zip"),
            "--out",
            temp.File("model.onnx"),
            "--weights",
            "float8"
        );

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("float8", line, StringComparison.Ordinal);
    }
}
