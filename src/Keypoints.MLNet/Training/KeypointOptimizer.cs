namespace Keypoints.MLNet.Training;

/// <summary>The optimization method of a <c>KeypointCnnTrainer</c>.</summary>
public enum KeypointOptimizer
{
    /// <summary>Adam with a per-epoch exponential learning-rate decay (<see
    /// cref="ScheduleOptions.LearningRateDecay"/>).</summary>
    Adam,

    /// <summary>Nouri's Nesterov-momentum SGD: the learning rate falls linearly from
    /// <see cref="ScheduleOptions.LearningRate"/> to <see cref="ScheduleOptions.FinalLearningRate"/>
    /// and the momentum rises linearly from <see cref="ScheduleOptions.Momentum"/> to
    /// <see cref="ScheduleOptions.FinalMomentum"/> over <see cref="ScheduleOptions.MaxEpochs"/>.</summary>
    Nesterov,
}
