using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>Where one training stage stands after its completed epochs: what <see cref="TrainingLoop"/> updates every
/// epoch and
/// <see cref="TrainingCheckpoint"/> writes and reads whole. Disposing it frees <see cref="BestWeights"/>.</summary>
internal sealed class TrainingStageState : IDisposable
{
    /// <summary>The state of a stage that starts at <paramref name="stageStart"/> on the Fit's clock with flips about
    /// an axis
    /// <paramref name="flipAxisOffset"/> pixels right of the image's center line.</summary>
    public TrainingStageState(TimeSpan stageStart, double flipAxisOffset)
    {
        StageStart = stageStart;
        FlipAxisOffset = flipAxisOffset;
        BestFlipAxisOffset = flipAxisOffset;
    }

    /// <summary>The Fit's time (see <see cref="TrainingBudget"/>) when the stage started training.</summary>
    public TimeSpan StageStart { get; }

    /// <summary>Epochs completed.</summary>
    public int EpochsCompleted { get; set; }

    /// <summary>Lowest validation RMSE so far, in pixels; positive infinity before the first validated epoch.</summary>
    public double BestRmse { get; set; } = double.PositiveInfinity;

    /// <summary>Validated epochs since <see cref="BestRmse"/>.</summary>
    public int EpochsSinceBest { get; set; }

    /// <summary>The labels' mirror axis offset in pixels that the flips use now (see <see
    /// cref="FlipAxisCalibration"/>).</summary>
    public double FlipAxisOffset { get; set; }

    /// <summary>The mirror axis offset of the best epoch, which goes with <see cref="BestWeights"/>.</summary>
    public double BestFlipAxisOffset { get; set; }

    /// <summary>The per-epoch history so far.</summary>
    public List<EpochReport> History { get; init; } = [];

    /// <summary>Weights of the best epoch, when kept.</summary>
    public Dictionary<string, Tensor>? BestWeights { get; set; }

    /// <summary>The stage's training time recorded by its last epoch; zero before the first.</summary>
    public TimeSpan Elapsed => History.Count > 0 ? History[^1].Elapsed : TimeSpan.Zero;

    /// <summary>Records a finished epoch's validation <paramref name="rmse"/> (NaN without validation) and the mirror
    /// axis the flips use after it; returns whether the epoch is the best so far. Only a validated epoch can fail to
    /// improve.</summary>
    public bool RecordValidation(double rmse, double flipAxisOffset)
    {
        FlipAxisOffset = flipAxisOffset;
        if (rmse < BestRmse)
        {
            BestRmse = rmse;
            EpochsSinceBest = 0;
            BestFlipAxisOffset = flipAxisOffset;
            return true;
        }
        if (!double.IsNaN(rmse))
            EpochsSinceBest++;
        return false;
    }

    /// <summary>Keeps a copy of <paramref name="network"/>'s weights as <see cref="BestWeights"/>, freeing the previous
    /// copy.</summary>
    public void KeepBestWeights(nn.Module network)
    {
        DisposeBestWeights();
        BestWeights = network
            .state_dict()
            .ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeBestWeights();

    private void DisposeBestWeights()
    {
        foreach (var t in BestWeights?.Values ?? Enumerable.Empty<Tensor>())
            t.Dispose();
        BestWeights = null;
    }
}
