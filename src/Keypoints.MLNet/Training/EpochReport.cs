namespace Keypoints.MLNet.Training;

/// <summary>What happened in one training epoch.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean loss per labelled coordinate on the training batches (<see
/// cref="KeypointTrainingOptions.Loss"/>): for the default squared error in scaled units (coordinates as (pixel -
/// size/2) / (size/2)), as in Nouri's learning curves.</param>
/// <param name="ValidationRmse">Root mean squared error on the validation rows in pixels over present
/// coordinates (the Kaggle metric), of the prediction the model serves (with the test-time flip when it is on); NaN
/// when there is no validation data.</param>
/// <param name="LearningRate">The learning rate used in this epoch.</param>
/// <param name="ImagesPerSecond">Training images processed per second of this epoch (forward, backward and
/// update).</param>
/// <param name="Elapsed">Wall-clock time since training started.</param>
/// <param name="IsBest">Whether this epoch has the lowest validation RMSE so far.</param>
public sealed record EpochReport(
    int Epoch,
    double TrainLoss,
    double ValidationRmse,
    double LearningRate,
    double ImagesPerSecond,
    TimeSpan Elapsed,
    bool IsBest
)
{
    /// <summary>The keypoint group of the specialist this epoch trained; <see langword="null"/> for the base
    /// network.</summary>
    public string? Specialist { get; init; }
}
