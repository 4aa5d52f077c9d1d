namespace Keypoints.MLNet.Tests.Cli;

/// <summary>Runs the built CLI as a separate process (killed after 15 minutes: a busy machine can take several for
/// a fixture's training run).</summary>
internal static class Cli
{
    public static ProcessRunner.Result Run(params string[] arguments) =>
        ProcessRunner.Run(
            "dotnet",
            [ProcessRunner.BuiltAssembly("src/Keypoints.Cli", "Keypoints.Cli"), .. arguments],
            TimeSpan.FromMinutes(15)
        );
}
