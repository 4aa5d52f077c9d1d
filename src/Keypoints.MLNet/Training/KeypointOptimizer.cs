namespace Keypoints.MLNet.Training;

/// <summary>The optimization method of a <c>KeypointCnnTrainer</c>.</summary>
public enum KeypointOptimizer
{
    /// <summary>Adam with a per-epoch exponential learning-rate decay (<see cref="KeypointTrainingOptions.LearningRateDecay"/>).</summary>
    Adam,

    /// <summary>Nouri's Nesterov-momentum SGD: the learning rate falls linearly from
    /// <see cref="KeypointTrainingOptions.LearningRate"/> to <see cref="KeypointTrainingOptions.FinalLearningRate"/>
    /// and the momentum rises linearly from <see cref="KeypointTrainingOptions.Momentum"/> to
    /// <see cref="KeypointTrainingOptions.FinalMomentum"/> over <see cref="KeypointTrainingOptions.MaxEpochs"/>.</summary>
    Nesterov,
}
