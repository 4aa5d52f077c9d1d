using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;

namespace Keypoints.MLNet.Training;

/// <summary>
/// What the training engine hands to the layers above it: the trained networks (on the CPU, in eval mode), the layout
/// they predict, the histories, where the labels' mirror axis lies, and how the training faces were framed. The
/// estimator turns it into ONNX bytes and then disposes it; no model keeps TorchSharp networks.
/// </summary>
internal sealed class KeypointTrainingResult : IDisposable
{
    public KeypointTrainingResult(KeypointEnsemble ensemble, KeypointLayout layout, IReadOnlyList<EpochReport> history,
        IReadOnlyDictionary<string, IReadOnlyList<EpochReport>> specialistHistories, double flipAxisOffset, FaceFraming? framing)
    {
        Ensemble = ensemble;
        Layout = layout;
        History = history;
        SpecialistHistories = specialistHistories;
        FlipAxisOffset = flipAxisOffset;
        Framing = framing;
    }

    /// <summary>The base network, or the base network and its specialists.</summary>
    public KeypointEnsemble Ensemble { get; }

    /// <summary>The keypoint set and the network's image size.</summary>
    public KeypointLayout Layout { get; }

    /// <summary>The base network's per-epoch history.</summary>
    public IReadOnlyList<EpochReport> History { get; }

    /// <summary>Each specialist's history by group name; empty without specialists.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EpochReport>> SpecialistHistories { get; }

    /// <summary>Where training found the labels' mirror axis, in pixels right of the image's center line.</summary>
    public double FlipAxisOffset { get; }

    /// <summary>How the training faces sit in the frame; null when the layout has no eye keypoints or no row has both eyes.</summary>
    public FaceFraming? Framing { get; }

    /// <inheritdoc/>
    public void Dispose() => Ensemble.Dispose();
}
