using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>What every stage of one Fit shares: the device it trains on, where epoch reports go, and the Fit's
/// wall-clock budget.</summary>
/// <param name="Device">The TorchSharp device of the networks and tensors.</param>
/// <param name="Report">Receives each epoch's report (the log and the user's progress).</param>
/// <param name="Budget">The Fit's clock and the shares of its time.</param>
internal sealed record TrainingSession(Device Device, Action<EpochReport> Report, TrainingBudget Budget);
