using Keypoints.MLNet.Tests.Images;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary>A small ConvNet3 trained by the CLI for one epoch on 64 landmarks68 faces, read through a temp CSV whose
/// image paths are relative to the temp folder, with a 16-row validation CSV beside it.</summary>
public sealed class ImageFileCliFixture : IDisposable
{
    private readonly TempFolder folder = new();

    public ImageFileCliFixture()
    {
        TrainingCsv = ImageFiles.WriteCsv(folder, "train.csv", "train", 64);
        ValidationCsv = ImageFiles.WriteCsv(folder, "validation.csv", "validation", 16);
        ModelPath = folder.File("model.zip");
        var result = Cli.Run(
            "train",
            "--data",
            TrainingCsv,
            "--validation",
            ValidationCsv,
            "--input-size",
            "48",
            "--epochs",
            "1",
            "--seed",
            "1",
            "--out",
            ModelPath
        );
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"CLI training on image files failed:\n{result.StandardOutput}{result.StandardError}"
            );
        }

        TrainOutput = result.StandardOutput;
    }

    public string TrainingCsv { get; }

    public string ValidationCsv { get; }

    public string ModelPath { get; }

    public string TrainOutput { get; }

    /// <summary>A path in the fixture's temp folder.</summary>
    public string File(string name) => folder.File(name);

    /// <summary>The absolute path of the first validation row's image.</summary>
    public string FirstValidationImage() =>
        Path.GetFullPath(
            Path.Combine(
                Path.GetDirectoryName(ValidationCsv)!,
                System.IO.File.ReadLines(ValidationCsv).Skip(1).First().Split(',')[0]
            )
        );

    public void Dispose() => folder.Dispose();
}
