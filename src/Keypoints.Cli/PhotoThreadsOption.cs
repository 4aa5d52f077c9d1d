using System.CommandLine;
using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Photos;

namespace Keypoints.Cli;

/// <summary>The option <c>--threads</c>: how many photos a command scores at once, each on one core. The output is the
/// same whatever the count (<see cref="FaceKeypointsPredictor.Predict(IReadOnlyList{string}, int)"/> keeps the photos'
/// order).</summary>
internal sealed class PhotoThreadsOption
{
    private readonly Option<int?> threads;

    /// <summary>The option.</summary>
    /// <param name="when">A prefix of its description that says when it applies, such as "(with --faces) ", or
    /// "".</param>
    public PhotoThreadsOption(string when)
    {
        threads = new Option<int?>("--threads")
        {
            Description = $"{when}Photos scored at once, each on one core [default: one per core]",
            HelpName = "N",
        };
    }

    /// <summary>Adds the option to <paramref name="command"/>.</summary>
    public void AddTo(Command command) => command.Options.Add(threads);

    /// <summary>Whether the option is on the command line.</summary>
    public bool IsGiven(ParseResult result) => result.GetValue(threads) is not null;

    /// <summary>The count the command line sets, else the machine's core count.</summary>
    /// <exception cref="UsageException">The count is below 1.</exception>
    public int Read(ParseResult result)
    {
        int count = result.GetValue(threads) ?? Environment.ProcessorCount;
        return count >= 1 ? count : throw new UsageException($"--threads must be at least 1; got {count}.");
    }

    /// <summary>Predictor settings for scoring photos side by side, one core each: both ONNX Runtime sessions run one
    /// thread per call, since their own threads would only compete with the other photos' (decisions.md, "Photos side
    /// by side").</summary>
    /// <param name="limits">The largest photo decoded.</param>
    public static PhotoKeypointsOptions OneCoreEach(ImageDecodeLimits limits) =>
        new()
        {
            Detector = new FaceDetectorOptions { IntraOpThreads = 1 },
            NetworkIntraOpThreads = 1,
            ImageLimits = limits,
        };
}
