using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Images;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary>The CLI's photo commands on files of the hostile corpus (<see cref="HostileImageFiles"/>), with the shipped
/// face68 model: one line <c>error: ...</c> naming the file and why, exit code 1, nothing written. The library's
/// entry points take the whole corpus (<see cref="HostileImageFileTests"/>); these few files check the CLI's
/// plumbing.</summary>
[Trait("Category", "Integration")]
public sealed class HostileFilesCliTests(HostileImageFiles corpus) : IClassFixture<HostileImageFiles>
{
    [Theory]
    [InlineData("bomb-20000x20000.png", "declares 20000 x 20000 pixels")]
    [InlineData("bomb-65000x65000.jpg", "declares 65000 x 65000 pixels")]
    [InlineData("truncated-half.jpg", "image is truncated")]
    [InlineData("empty.jpg", "is empty")]
    [InlineData("text.jpg", "is not an image that can be read")]
    public void Faces_OnAHostileFile_PrintsOneErrorLineNamingIt(string name, string expected)
    {
        string output = Path.Combine(corpus.Folder, name + ".overlay.png");

        var result = Cli.Run("faces", "--image", corpus[name].Path, "--out", output);

        AssertRefused(result, corpus[name].Path, expected);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Faces_WithMaxSide_RefusesAPhotoOverIt()
    {
        string photo = corpus["valid.jpg"].Path;

        var result = Cli.Run("faces", "--image", photo, "--out", photo + ".png", "--max-side", "500");

        AssertRefused(result, photo, "declares 512 x 512 pixels (0.3 megapixels), over the limit of sides up to 500");
    }

    [Fact]
    public void EvaluateFaces_OnACsvNamingABomb_PrintsOneErrorLineNamingIt()
    {
        string csv = Path.Combine(corpus.Folder, "evaluate-bomb.csv");
        string coordinates = string.Join(',', KeypointLayout.Ibug68.CoordinateNames);
        File.WriteAllText(csv, $"image,{coordinates}\nbomb-20000x20000.png{new string(',', 136)}\n");

        var result = Cli.Run("evaluate", "--data", csv, "--faces");

        AssertRefused(result, corpus["bomb-20000x20000.png"].Path, "declares 20000 x 20000 pixels");
    }

    private static void AssertRefused(ProcessRunner.Result result, string path, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: Image file '{path}' ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
