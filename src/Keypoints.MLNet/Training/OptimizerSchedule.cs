using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// The optimizer and its per-epoch hyper-parameters: Adam with exponential learning-rate decay, or
/// Nouri's Nesterov SGD with a learning rate falling and a momentum rising linearly over the epochs.
/// </summary>
internal sealed class OptimizerSchedule : IDisposable
{
    private readonly KeypointTrainingOptions options;
    private readonly optim.Optimizer optimizer;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    public OptimizerSchedule(IEnumerable<Parameter> parameters, KeypointTrainingOptions options)
    {
        this.options = options;
        optimizer = options.Schedule.Optimizer switch
        {
            KeypointOptimizer.Adam => optim.Adam(
                parameters,
                InitialLearningRate,
                weight_decay: options.Schedule.WeightDecay
            ),
            KeypointOptimizer.Nesterov => optim.SGD(
                parameters,
                InitialLearningRate,
                momentum: options.Schedule.Momentum,
                weight_decay: options.Schedule.WeightDecay,
                nesterov: true
            ),
            _ => throw new ArgumentOutOfRangeException(
                nameof(options),
                options.Schedule.Optimizer,
                "Unknown optimizer."
            ),
        };
    }

    /// <summary>The wrapped optimizer.</summary>
    public optim.Optimizer Optimizer => optimizer;

    private double InitialLearningRate =>
        options.Schedule.LearningRate ?? DefaultLearningRate(options.Schedule.Optimizer);

    /// <summary>The initial learning rate used when none is set: 0.001 for Adam, 0.03 for Nesterov.</summary>
    public static double DefaultLearningRate(KeypointOptimizer optimizer) =>
        optimizer == KeypointOptimizer.Adam ? 1e-3 : 0.03;

    /// <summary>Sets the learning rate (and momentum) for 0-based <paramref name="epoch"/> and returns the learning
    /// rate.</summary>
    public double BeginEpoch(int epoch)
    {
        double learningRate;
        if (options.Schedule.Optimizer == KeypointOptimizer.Adam)
        {
            learningRate = InitialLearningRate * Math.Pow(options.Schedule.LearningRateDecay, epoch);
        }
        else
        {
            double t = options.Schedule.MaxEpochs <= 1 ? 0 : (double)epoch / (options.Schedule.MaxEpochs - 1);
            learningRate = InitialLearningRate + (options.Schedule.FinalLearningRate - InitialLearningRate) * t;
            ((SGD)optimizer).Momentum =
                options.Schedule.Momentum + (options.Schedule.FinalMomentum - options.Schedule.Momentum) * t;
        }
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;
        return learningRate;
    }

    /// <inheritdoc/>
    public void Dispose() => optimizer.Dispose();
}
