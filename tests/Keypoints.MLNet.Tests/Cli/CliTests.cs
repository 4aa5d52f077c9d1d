using System.Globalization;
using System.Text.Json;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Tiers;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary>The CLI's scripted contract: output lines, files written, exit codes.</summary>
[Trait("Category", "Integration")]
public sealed class CliTests(CliModelFixture fixture) : IClassFixture<CliModelFixture>
{
    [TierFact(Needs.FaceData)]
    public void Train_PrintsOneLinePerEpoch_AndSavesTheModel()
    {
        Assert.Matches(
            @"epoch\s+40\s+train loss \d+\.\d+\s+validation RMSE \d+\.\d+ px\s+\d+ images/s\s+ETA \d\d:\d\d:\d\d",
            fixture.TrainOutput
        );
        Assert.True(new FileInfo(fixture.ModelPath).Length > 100_000);
    }

    [TierFact(Needs.FaceData)]
    public void Evaluate_PrintsRmseAndNmeLines_ThenEveryKeypoint()
    {
        var result = Cli.Run("evaluate", "--model", fixture.ModelPath, "--data", SmallFaces.ValidationCsv);
        Assert.Equal(0, result.ExitCode);
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        double rmse = double.Parse(
            Assert.Single(lines, l => l.StartsWith("RMSE ", StringComparison.Ordinal))[5..],
            CultureInfo.InvariantCulture
        );
        double nme = double.Parse(
            Assert.Single(lines, l => l.StartsWith("NME ", StringComparison.Ordinal))[4..],
            CultureInfo.InvariantCulture
        );
        // The briefly trained net (about 5.3 px) must beat an untrained one, which stays near the image center (about
        // 20 px).
        Assert.InRange(rmse, 0.5, 8);
        Assert.InRange(nme, 0.01, 0.3);
        foreach (string name in KeypointLayout.Kaggle15.KeypointNames)
            Assert.Contains(lines, l => l.StartsWith(name + " ", StringComparison.Ordinal));
    }

    [TierFact(Needs.FaceData)]
    public void Info_PrintsOneJsonObject_WithTheModelsMetadata()
    {
        var result = Cli.Run("info", "--model", fixture.ModelPath);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var info = json.RootElement;
        Assert.Equal(JsonValueKind.Object, info.ValueKind);
        foreach (
            string? key in new[]
            {
                "layout",
                "keypoints",
                "flipPairs",
                "groups",
                "inputWidth",
                "inputHeight",
                "channels",
                "framing",
                "testTimeFlip",
                "flipAxisOffset",
                "epochs",
                "bestValidationRmse",
                "libraryVersion",
            }
        )
        {
            Assert.True(info.TryGetProperty(key, out _), $"no '{key}' in {result.StandardOutput}");
        }

        Assert.Equal("Kaggle15", info.GetProperty("layout").GetString());
        Assert.Equal(
            KeypointLayout.Kaggle15.KeypointNames,
            info.GetProperty("keypoints").EnumerateArray().Select(e => e.GetString())
        );
        Assert.Contains(info.GetProperty("flipPairs").EnumerateArray(), p =>
            p[0].GetString() == "left_eye_center" && p[1].GetString() == "right_eye_center"
        );
        Assert.Equal(6, info.GetProperty("groups").GetArrayLength());
        Assert.Equal(96, info.GetProperty("inputWidth").GetInt32());
        Assert.Equal(96, info.GetProperty("inputHeight").GetInt32());
        Assert.Equal(1, info.GetProperty("channels").GetInt32());
        Assert.False(info.GetProperty("testTimeFlip").GetBoolean());
        Assert.Equal(40, info.GetProperty("epochs").GetInt32());
        Assert.InRange(info.GetProperty("bestValidationRmse").GetDouble(), 0.5, 30);
        Assert.InRange(info.GetProperty("framing").GetProperty("interOcularDistance").GetDouble(), 0.2, 0.6);
        Assert.False(string.IsNullOrEmpty(info.GetProperty("libraryVersion").GetString()));
    }

    [TierFact(Needs.FaceData)]
    public void Submit_WritesOneLocationPerLookupRow()
    {
        string output = Path.Combine(fixture.Folder, "submission.csv");
        var result = Cli.Run(
            "submit",
            "--model",
            fixture.ModelPath,
            "--test",
            SharedData.Path("fkd", "test.csv"),
            "--lookup",
            SharedData.Path("fkd", "IdLookupTable.csv"),
            "--out",
            output
        );
        Assert.True(result.ExitCode == 0, result.StandardError);
        string[] lines = File.ReadAllLines(output);
        Assert.Equal("RowId,Location", lines[0]);
        Assert.Equal(9153, lines.Length);
        Assert.All(lines.Skip(1), l =>
            Assert.InRange(double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture), 0, 96)
        );
    }

    [TierTheory(Needs.FaceData)]
    [InlineData("evaluate", "--model", "/nonexistent/model.zip", "--data", "x.csv")]
    [InlineData("train", "--data", "/nonexistent/training.csv", "--out", "/tmp/never.zip")]
    [InlineData("train", "--arch", "vgg")]
    [InlineData("train", "--epochs", "many")]
    [InlineData("frobnicate")]
    [InlineData("train", "--scale", "1.1")]
    [InlineData("train", "--data", "x.csv", "--no-augment", "--augment-p", "0.3")]
    [InlineData("train", "--rotate", "400", "--out", "/tmp/never.zip")]
    public void BadInput_ExitsNonZero_WithOneClearLine(params string[] arguments)
    {
        var result = Cli.Run(arguments);
        Assert.NotEqual(0, result.ExitCode);
        string line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
    }

    [TierTheory(Needs.FaceData)]
    [InlineData("evaluate", "empty", "is empty")]
    [InlineData("evaluate", "text", "is neither a model zip nor an ONNX model")]
    [InlineData("predict", "truncated", "cannot be read as one")]
    [InlineData("submit", "no keypoint graph", "holds no ONNX model")]
    public void BrokenModelFile_PrintsOneLineNamingIt(string verb, string kind, string expected)
    {
        string path = Path.Combine(fixture.Folder, $"broken-{kind.Replace(' ', '-')}.zip");
        byte[] model = File.ReadAllBytes(fixture.ModelPath);
        switch (kind)
        {
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "text":
                File.WriteAllText(path, "not a model");
                break;
            case "truncated":
                File.WriteAllBytes(path, model[..(model.Length / 2)]);
                break;
            default:
                using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
                    zip.CreateEntry("Version.txt");
                break;
        }
        string[] arguments = verb switch
        {
            "submit" =>
            [
                "submit",
                "--model",
                path,
                "--test",
                SharedData.Path("fkd", "test.csv"),
                "--lookup",
                SharedData.Path("fkd", "IdLookupTable.csv"),
                "--out",
                Path.Combine(fixture.Folder, "never.csv"),
            ],
            "predict" =>
            [
                "predict",
                "--model",
                path,
                "--data",
                SharedData.Path("fkd", "validation.csv"),
                "--out",
                Path.Combine(fixture.Folder, "never.csv"),
            ],
            _ => [verb, "--model", path, "--data", SharedData.Path("fkd", "validation.csv")],
        };

        var result = Cli.Run(arguments);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: Model file '{path}'", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_WithoutData_IsAUsageError_ThatSaysWhatToDownload()
    {
        // Run from a folder beside the shared data: the tool must not look for it there.
        var empty = Directory.CreateTempSubdirectory("keypoints-no-data-");
        try
        {
            var result = ProcessRunner.Run(
                "dotnet",
                [ProcessRunner.BuiltAssembly("src/Keypoints.Cli", "Keypoints.Cli"), "train"],
                TimeSpan.FromMinutes(2),
                workingDirectory: empty.FullName
            );
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("Option --data is required", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("kaggle.com/c/facial-keypoints-detection", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [TierFact(Needs.FaceData)]
    public void Train_NamesFileLineAndColumn_ForAMalformedCsv()
    {
        string bad = Path.Combine(fixture.Folder, "bad.csv");
        string[] lines = File.ReadLines(SmallFaces.ValidationCsv).Take(3).ToArray();
        lines[2] = lines[2].Replace(" 17 ", " 17x ", StringComparison.Ordinal);
        if (!lines[2].Contains("17x", StringComparison.Ordinal))
            lines[2] = lines[2][..^4] + " 300";
        File.WriteAllLines(bad, lines);
        var result = Cli.Run(
            "train",
            "--data",
            bad,
            "--epochs",
            "1",
            "--out",
            Path.Combine(fixture.Folder, "never.zip")
        );
        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches(@"bad\.csv line 3, column 31 \(Image\)", result.StandardError);
    }
}
