using System.Text.Json;
using Keypoints.Cli;
using Keypoints.MLNet.Tests.Tiers;
using SkiaSharp;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary>The CLI with the shipped models: every <c>--model</c> and <c>train --from</c> take <c>face68</c> and
/// <c>kaggle15</c>,
/// <c>faces</c> uses face68 when no model is named, and an existing file of a model's name wins.</summary>
public sealed class PretrainedCliTests
{
    private static readonly string Astronaut = Path.Combine(SharedData.RepositoryRoot, "samples", "astronaut.jpg");

    /// <summary>The terms both shipped models record (<c>models/build.sh</c>).</summary>
    internal const string ShippedTerms =
        "Research use only: learned from YouTube Faces video frames with iBUG 68-point labels, which are published "
        + "for research with no grant for commercial use; for anything else, train a model on data you may use.";

    [Fact]
    [Trait("Category", "Integration")]
    public void Faces_WithoutAModel_DrawsFace68OnTheSamplePicture()
    {
        using var folder = new TempFolder();
        string output = folder.File("astronaut-keypoints.png");

        var result = Cli.Run("faces", "--image", Astronaut, "--out", output);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal(
            [$"wrote {output}: 1 face on {Astronaut}", $"model terms: {ShippedTerms}"],
            result.StandardOutput.Trim().Split('\n')
        );
        using var png = SKBitmap.Decode(output);
        Assert.Equal((512, 512), (png.Width, png.Height));
    }

    [Theory]
    [Trait("Category", "Integration")]
    [InlineData("face68", "Ibug68")]
    [InlineData("kaggle15", "Kaggle15")]
    public void Info_TakesTheName_AndPrintsTheTerms(string name, string layout)
    {
        var result = Cli.Run("info", "--model", name);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(layout, json.RootElement.GetProperty("layout").GetString());
        Assert.Equal(ShippedTerms, json.RootElement.GetProperty("terms").GetString());
    }

    [Fact]
    [Trait("Category", "Integration")]
    public void AnUnknownName_ExitsTwo_WithTheNames()
    {
        var result = Cli.Run("evaluate", "--model", "face69", "--data", "validation.csv");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "error: Model 'face69' is neither a file nor a shipped model (face68, kaggle15).",
            result.StandardError.Trim()
        );
    }

    [TierFact(Needs.FaceData)]
    [Trait("Category", "Integration")]
    public void TrainFrom_Face68_FineTunesOnImageFilesOfItsLayout()
    {
        using var folder = new TempFolder();
        string source = SharedData.Path("landmarks68", "validation.csv");
        string[] lines = File.ReadLines(source).Take(33).ToArray();
        // Paths made absolute, so the CSV can lie elsewhere.
        string data = folder.Write(
            "mine.csv",
            string.Join('\n', [lines[0], .. lines.Skip(1).Select(l => Path.Combine(Path.GetDirectoryName(source)!, l))])
                + "\n"
        );
        string output = folder.File("tuned.zip");

        var result = Cli.Run(
            "train",
            "--data",
            data,
            "--from",
            "face68",
            "--epochs",
            "1",
            "--validation-fraction",
            "0",
            "--seed",
            "1",
            "--out",
            output
        );

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.StartsWith(
            "fine-tuning face68: its network, 68 keypoints (Ibug68)",
            result.StandardOutput,
            StringComparison.Ordinal
        );
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void Resolve_GivesAShippedModelsFile_ForItsName()
    {
        string path = ModelArgument.Resolve("kaggle15");

        Assert.Matches(@"kaggle15-[0-9a-f]{16}\.onnx$", path);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void Resolve_PrefersAnExistingFile_AndLeavesAMissingPathToTheLoader()
    {
        using var folder = new TempFolder();
        string file = folder.Write("face68", "not a model");

        Assert.Equal(file, ModelArgument.Resolve(file));
        Assert.Equal("/nonexistent/model.zip", ModelArgument.Resolve("/nonexistent/model.zip"));
    }

    [Fact]
    public void ModelOptions_SayTheyTakeTheNames()
    {
        var option = ModelArgument.Create("The model zip saved by train");

        Assert.Equal(
            "The model zip saved by train; or a shipped model: face68, kaggle15 (an existing file of that name wins)",
            option.Description
        );
        Assert.Equal("model.zip|model.onnx|face68|kaggle15", option.HelpName);
        Assert.True(option.Required);
    }
}
