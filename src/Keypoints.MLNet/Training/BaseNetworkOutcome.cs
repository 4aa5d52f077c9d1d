using Keypoints.MLNet.Networks;

namespace Keypoints.MLNet.Training;

/// <summary>What the specialists start from: the trained base network and how its training ended.</summary>
/// <param name="Network">The base network with its kept weights, on the training device.</param>
/// <param name="FlipAxisOffset">The labels' mirror axis that goes with those weights, in pixels right of the image's
/// center line.</param>
/// <param name="LearningRate">The learning rate of the epoch whose weights were kept.</param>
/// <param name="EpochDuration">The median duration of a base network epoch over all training rows.</param>
internal sealed record BaseNetworkOutcome(
    KeypointNetwork Network,
    double FlipAxisOffset,
    double LearningRate,
    TimeSpan EpochDuration
);
