using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Tests.Tiers;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary>The CLI's <c>plot</c> command: the PNG files it writes and its errors.</summary>
[Trait("Category", "Integration")]
public sealed class PlotCommandTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [TierFact(Needs.FaceData)]
    public void Plot_WritesLearningCurvesAndKernelPngs_IntoANewFolder_AndPrintsTheirPaths()
    {
        using var temp = new TempFolder();
        string model = ModelFiles.SaveZip(fixture, temp.File("model.zip"));
        string output = temp.File("plots/new");

        var result = Cli.Run("plot", "--model", model, "--out", output);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        foreach (string? name in new[] { "learning-curves.png", "kernels.png" })
        {
            string path = Path.Combine(output, name);
            Assert.Contains($"wrote {path}", result.StandardOutput, StringComparison.Ordinal);
            byte[] bytes = File.ReadAllBytes(path);
            Assert.True(bytes.Length > 2_000, $"{name} has only {bytes.Length} bytes");
            Assert.True(bytes.AsSpan().StartsWith(PngSignature), $"{name} is not a PNG");
        }
    }

    [TierFact(Needs.FaceData)]
    public void Plot_ExitsWithOneErrorLine_ForAVersion010Model()
    {
        using var temp = new TempFolder();
        string model = ModelFiles.WriteVersion010Graph(temp.File("old.onnx"));

        var result = Cli.Run("plot", "--model", model, "--out", temp.File("plots"));

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("0.1.0", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(temp.File("plots")));
    }
}
