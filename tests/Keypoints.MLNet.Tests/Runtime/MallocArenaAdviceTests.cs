using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Runtime;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Runtime;

/// <summary>Training off the main thread without one malloc arena gets a warning that says what to do.</summary>
[Collection(GlobalRandomGenerator.Name)]
public sealed class MallocArenaAdviceTests
{
    [Theory]
    [InlineData(true, null, null, false)]
    [InlineData(false, null, null, true)]
    [InlineData(false, "1", null, false)]
    [InlineData(false, "4", null, true)]
    [InlineData(false, null, "glibc.malloc.check=0:glibc.malloc.arena_max=1", false)]
    [InlineData(false, null, "glibc.malloc.arena_max=10", true)]
    public void For_AdvisesOneArena_OnlyOffTheMainThreadWithoutIt(
        bool mainThread,
        string? arenaMax,
        string? tunables,
        bool advised
    )
    {
        string? advice = MallocArenaAdvice.For(mainThread, arenaMax, tunables);
        Assert.Equal(advised, advice is not null);
        if (advised)
            Assert.Contains("MALLOC_ARENA_MAX=1", advice, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public void Fit_OnATestThreadWithoutOneArena_LogsTheAdvice_OnLinux()
    {
        // The test host runs this on a worker thread; test.runsettings sets MALLOC_ARENA_MAX=1, so lift it for this
        // Fit.
        string? saved = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX");
        Environment.SetEnvironmentVariable("MALLOC_ARENA_MAX", null);
        try
        {
            var ml = new MLContext();
            var warnings = new List<string>();
            ml.Log += (_, e) =>
            {
                if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Warning)
                    warnings.Add(e.RawMessage);
            };
            var options = new KeypointCnnTrainer.Options
            {
                Architecture = KeypointArchitecture.Mlp,
                ValidationFraction = 0,
                Augmentation = AugmentationOptions.None,
                TestTimeFlip = false,
                Schedule = { MaxEpochs = 1 },
                TimeBudget = { MaxTrainingTime = null },
            };
            ml.Keypoints.Trainers.Cnn(options).Fit(SmallFaces.Training(ml, 32)).Dispose();
            Assert.Equal(OperatingSystem.IsLinux(), warnings.Contains(MallocArenaAdvice.Message));
        }
        finally
        {
            Environment.SetEnvironmentVariable("MALLOC_ARENA_MAX", saved);
        }
    }
}
