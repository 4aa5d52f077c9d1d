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
    /// <summary>The base network, or the base network and its specialists.</summary>
    public required KeypointEnsemble Ensemble { get; init; }

    /// <summary>The keypoint set and the network's image size.</summary>
    public required KeypointLayout Layout { get; init; }

    /// <summary>The base network's per-epoch history.</summary>
    public required IReadOnlyList<EpochReport> History { get; init; }

    /// <summary>Each specialist's history by group name; empty without specialists.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<EpochReport>> SpecialistHistories { get; init; }

    /// <summary>Where training found the labels' mirror axis, in pixels right of the image's center line.</summary>
    public required double FlipAxisOffset { get; init; }

    /// <summary>How the training faces sit in the frame; null when the layout has no eye keypoints or no row has both
    /// eyes.</summary>
    public FaceFraming? Framing { get; init; }

    /// <inheritdoc/>
    public void Dispose() => Ensemble.Dispose();
}
