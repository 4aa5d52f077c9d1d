using System.Reflection;
using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary>The CLI's command line: help on every verb, the version, and usage errors.</summary>
[Trait("Category", "Integration")]
public sealed class CommandLineTests
{
    [Theory]
    [InlineData(
        "train",
        "--data",
        "--validation",
        "--validation-fraction",
        "--arch",
        "--frozen-stages",
        "--epochs",
        "--max-minutes",
        "--no-augment",
        "--scale",
        "--specialists",
        "--no-tta",
        "--pretrain-epochs",
        "--input-size",
        "--color",
        "--resume",
        "--out",
        "--verbose"
    )]
    [InlineData("evaluate", "--model", "--data", "--sheet", "--faces", "--max-side", "--max-megapixels")]
    [InlineData("faces", "--model", "--image", "--data", "--out", "--max-side", "--max-megapixels")]
    [InlineData(
        "serve",
        "--model",
        "--port",
        "--host",
        "--max-body-mb",
        "--max-side",
        "--max-megapixels",
        "--max-concurrent"
    )]
    [InlineData("predict", "--model", "--image", "--data", "--out", "--names")]
    [InlineData("submit", "--model", "--test", "--lookup", "--out")]
    [InlineData("plot", "--model", "--out")]
    [InlineData("info", "--model")]
    [InlineData("export", "--model", "--out", "--weights")]
    public void Help_ExitsZero_AndListsTheVerbsOptions(string verb, params string[] options)
    {
        var result = Cli.Run(verb, "--help");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal("", result.StandardError);
        Assert.Contains($"keypoints {verb} [options]", result.StandardOutput, StringComparison.Ordinal);
        foreach (string option in options)
            Assert.Contains(option + " ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsEveryVerb()
    {
        var result = Cli.Run("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (
            string? verb in new[]
            {
                "train",
                "evaluate",
                "predict",
                "faces",
                "serve",
                "submit",
                "plot",
                "info",
                "export",
            }
        )
        {
            Assert.Matches($@"(?m)^\s+{verb}\s", result.StandardOutput);
        }
    }

    [Fact]
    public void Version_PrintsTheInformationalVersionOfTheRepository()
    {
        var result = Cli.Run("--version");

        Assert.Equal(0, result.ExitCode);
        // The library and the tool share one version (Directory.Build.props); the part after '+' is the commit.
        string library = typeof(KeypointLayout)
            .Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!
            .InformationalVersion;
        Assert.Equal(library.Split('+')[0], result.StandardOutput.Trim().Split('+')[0]);
    }

    [Theory]
    [InlineData("train", "--frobnicate")]
    [InlineData("evaluate", "--model", "face68")]
    [InlineData("train", "--epochs", "many")]
    [InlineData("train", "--arch", "vgg")]
    [InlineData("train", "--arch", "resnet18", "--frozen-stages", "1")]
    [InlineData("train", "--arch", "resnet18-pretrained", "--frozen-stages", "5")]
    [InlineData("train", "--out", "model.zip")]
    [InlineData("train", "--data", "x.csv", "--tta")]
    [InlineData("train", "--data", "x.csv", "--augment")]
    [InlineData("train", "--max-minutes", "-1")]
    [InlineData("frobnicate")]
    public void UsageMistake_ExitsTwo_WithOneErrorLine(params string[] arguments)
    {
        var result = Cli.Run(arguments);

        Assert.Equal(2, result.ExitCode);
        string line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbose_AddsTheStackTrace_ToAnError()
    {
        var quiet = Cli.Run("info", "--model", "/nonexistent/model.zip");
        var verbose = Cli.Run("info", "--model", "/nonexistent/model.zip", "--verbose");

        Assert.Equal(1, quiet.ExitCode);
        Assert.Equal(1, verbose.ExitCode);
        Assert.Equal("error: Model file '/nonexistent/model.zip' does not exist.", quiet.StandardError.Trim());
        Assert.StartsWith(quiet.StandardError.Trim(), verbose.StandardError, StringComparison.Ordinal);
        Assert.Contains("System.IO.FileNotFoundException", verbose.StandardError, StringComparison.Ordinal);
        Assert.Contains(" at ", verbose.StandardError, StringComparison.Ordinal);
    }
}
