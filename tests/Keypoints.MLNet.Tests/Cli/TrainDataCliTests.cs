using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary><c>train</c>'s defaults as the help states them, and <c>--data</c> given more than once.</summary>
[Trait("Category", "Integration")] // runs the CLI in child processes
public sealed class TrainDataCliTests
{
    [Fact]
    public void Help_StatesTheRecommendedRecipe_AsTheDefaults()
    {
        // Piped help wraps at 120 columns; a phrase may span lines.
        string help = string.Join(
            ' ',
            Cli.Run("train", "--help").StandardOutput.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
        );

        Assert.Contains("[default: resnet18-integral]", help, StringComparison.Ordinal);
        Assert.Contains("[default: l1]", help, StringComparison.Ordinal);
        Assert.Contains("--no-augment", help, StringComparison.Ordinal);
        Assert.Contains("--no-tta", help, StringComparison.Ordinal);
        Assert.Contains("0 for no budget, so only --epochs ends the run [default: 30]", help, StringComparison.Ordinal);
        Assert.Contains(
            $"Images per batch [default: {new ScheduleOptions().BatchSize}]",
            help,
            StringComparison.Ordinal
        );
    }

    [TierFact(Needs.FaceData)]
    public void RepeatedData_TrainsOnEveryFile_AndMismatchedFilesFailNamingTheFile()
    {
        using var folder = new TempFolder();
        string first = folder.Write("first.csv", string.Join('\n', File.ReadLines(SmallFaces.ValidationCsv).Take(41)));
        string second = folder.Write(
            "second.csv",
            string.Join(
                '\n',
                File.ReadLines(SmallFaces.ValidationCsv)
                    .Skip(41)
                    .Take(40)
                    .Prepend(File.ReadLines(SmallFaces.ValidationCsv).First())
            )
        );
        string model = folder.File("both.zip");

        var trained = Cli.Run(
            "train",
            "--data",
            first,
            "--data",
            second,
            "--validation-fraction",
            "0",
            "--arch",
            "mlp",
            "--no-augment",
            "--no-tta",
            "--epochs",
            "1",
            "--seed",
            "3",
            "--out",
            model
        );

        Assert.True(trained.ExitCode == 0, trained.StandardOutput + trained.StandardError);
        Assert.Contains(
            $"training Mlp with Adam and MeanAbsoluteError loss on {first} + {second} without validation",
            trained.StandardOutput,
            StringComparison.Ordinal
        );
        Assert.Matches(@"epoch\s+1\s+train loss \d+\.\d+\s+no validation\s+\d+ images/s", trained.StandardOutput);
        Assert.DoesNotContain("NaN", trained.StandardOutput, StringComparison.Ordinal);
        Assert.True(File.Exists(model));

        string images = Images.ImageFiles.WriteCsv(folder, "images.csv", "validation", 3);
        var mixed = Cli.Run(
            "train",
            "--data",
            first,
            "--data",
            images,
            "--epochs",
            "1",
            "--out",
            folder.File("never.zip")
        );
        Assert.Equal(2, mixed.ExitCode);
        Assert.Contains(
            "must all be Kaggle CSVs or all CSVs of image files",
            mixed.StandardError,
            StringComparison.Ordinal
        );
    }
}
