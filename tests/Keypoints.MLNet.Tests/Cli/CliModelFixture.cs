namespace Keypoints.MLNet.Tests.Cli;

/// <summary>A one-hidden-layer model trained by the CLI for 40 quick epochs, in a temp folder shared by the CLI
/// tests.</summary>
public sealed class CliModelFixture : IDisposable
{
    public CliModelFixture()
    {
        Folder = Directory.CreateTempSubdirectory("keypoints-cli-tests-").FullName;
        ModelPath = Path.Combine(Folder, "model.zip");
        var result = Cli.Run(
            "train",
            "--data",
            SmallFaces.TrainingCsv,
            "--validation",
            SmallFaces.ValidationCsv,
            "--arch",
            "mlp",
            "--no-augment",
            "--no-tta",
            "--epochs",
            "40",
            "--seed",
            "2",
            "--out",
            ModelPath
        );
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"CLI training failed:\n{result.StandardOutput}{result.StandardError}");
        TrainOutput = result.StandardOutput;
    }

    public string Folder { get; }

    public string ModelPath { get; }

    public string TrainOutput { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
