namespace Keypoints.MLNet.Training;

/// <summary>The optimization method of a <see cref="KeypointCnnTrainer"/>.</summary>
public enum KeypointOptimizer
{
    /// <summary>Adam with a per-epoch exponential learning-rate decay (<see cref="KeypointCnnTrainer.Options.LearningRateDecay"/>).</summary>
    Adam,

    /// <summary>Nouri's Nesterov-momentum SGD: the learning rate falls linearly from
    /// <see cref="KeypointCnnTrainer.Options.LearningRate"/> to <see cref="KeypointCnnTrainer.Options.FinalLearningRate"/>
    /// and the momentum rises linearly from <see cref="KeypointCnnTrainer.Options.Momentum"/> to
    /// <see cref="KeypointCnnTrainer.Options.FinalMomentum"/> over <see cref="KeypointCnnTrainer.Options.MaxEpochs"/>.</summary>
    Nesterov,
}
