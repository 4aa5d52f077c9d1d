using System.Text.Json;
using Keypoints.MLNet.Tests.Tiers;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary><c>train --from</c> fine-tunes a saved model zip on a small CSV of the same layout, with the model's
/// network.</summary>
[Trait("Category", "Integration")] // trains twice with the CLI, in child processes
public sealed class FineTuningCliTests
{
    [TierFact(Needs.FaceData)]
    public void TrainFrom_FineTunesASavedModel_OnASmallCsv_WithTheModelsNetwork()
    {
        using var folder = new TempFolder();
        string training = folder.Write("mine.csv", string.Join('\n', File.ReadLines(SmallFaces.TrainingCsv).Take(121)));
        string validation = folder.Write(
            "mine-validation.csv",
            string.Join('\n', File.ReadLines(SmallFaces.ValidationCsv).Take(61))
        );
        string basePath = folder.File("base.zip");
        string tunedPath = folder.File("tuned.zip");
        var trained = Cli.Run(
            "train",
            "--data",
            training,
            "--validation",
            validation,
            "--arch",
            "mlp",
            "--epochs",
            "3",
            "--seed",
            "2",
            "--out",
            basePath
        ); // test-time flip is on by default
        Assert.True(trained.ExitCode == 0, trained.StandardOutput + trained.StandardError);

        var tuned = Cli.Run(
            "train",
            "--data",
            training,
            "--validation",
            validation,
            "--from",
            basePath,
            "--epochs",
            "1",
            "--seed",
            "2",
            "--out",
            tunedPath
        );

        Assert.True(tuned.ExitCode == 0, tuned.StandardOutput + tuned.StandardError);
        Assert.Contains(
            $"fine-tuning {basePath}: its network, 15 keypoints (Kaggle15), 96 x 96 grey input, test-time flip, "
                + "learning rate a tenth of the optimizer's default",
            tuned.StandardOutput,
            StringComparison.Ordinal
        );
        Assert.Contains("training the model's network with Adam", tuned.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"saved {tunedPath}", tuned.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(tunedPath));
        var info = Cli.Run("info", "--model", tunedPath);
        using var json = JsonDocument.Parse(info.StandardOutput);
        Assert.True(json.RootElement.GetProperty("testTimeFlip").GetBoolean());

        var refused = Cli.Run(
            "train",
            "--data",
            training,
            "--from",
            basePath,
            "--arch",
            "resnet18",
            "--out",
            folder.File("never.zip")
        );
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Option --arch does not go with --from", refused.StandardError, StringComparison.Ordinal);
    }
}
