using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Nouri's specialists: for every keypoint group of the layout, a copy of the trained base network, initialised
/// from its weights (the output layer keeps the group's rows), is fine-tuned on the rows where the whole group is
/// present, with its own early stopping. The specialists and, for keypoints no group covers, the base network form
/// one <see cref="KeypointEnsemble"/>. Each specialist trains within its share of the Fit's <see
/// cref="TrainingBudget"/>; one whose share would not hold a single epoch keeps the base network's weights.
/// </summary>
internal sealed class SpecialistTrainer
{
    private readonly KeypointLayout layout;
    private readonly KeypointTrainingOptions options;
    private readonly TrainingSession session;

    /// <summary>Prepares specialists for <paramref name="layout"/>'s groups, trained with <paramref name="options"/>'s
    /// specialist settings.</summary>
    /// <exception cref="InvalidOperationException">The layout has no keypoint groups.</exception>
    public SpecialistTrainer(KeypointLayout layout, KeypointTrainingOptions options, TrainingSession session)
    {
        if (layout.Groups.Count == 0)
        {
            throw new InvalidOperationException(
                $"Layout '{layout.Name}' has no keypoint groups, so there are no specialists to train."
            );
        }

        this.layout = layout;
        this.options = options;
        this.session = session;
    }

    /// <summary>Trains one specialist per group from the base network (which it takes over: it becomes an ensemble
    /// member or is disposed) and returns the ensemble, with every network on the CPU in eval mode, and each
    /// specialist's history. Flips mirror about the base network's axis; without <see
    /// cref="SpecialistOptions.LearningRate"/>, fine-tuning starts at the base network's kept learning rate; the base
    /// network's epoch duration on all of <paramref name="train"/>'s rows gives the expected duration of a specialist's
    /// epoch on its rows.</summary>
    public (KeypointEnsemble Ensemble, Dictionary<string, IReadOnlyList<EpochReport>> Histories) Train(
        BaseNetworkOutcome baseNetwork,
        TrainingData train,
        TrainingData? validation,
        int seed
    )
    {
        var members = new List<EnsembleMember>();
        var histories = new Dictionary<string, IReadOnlyList<EpochReport>>();
        var covered = new HashSet<int>();
        try
        {
            var groups = SpecialistGroup.Of(layout, train, validation);
            for (int i = 0; i < groups.Length; i++)
            {
                var group = groups[i];
                int remaining = groups.Length - i;
                var stage = new TrainingStage(
                    layout.Subset(group.Group),
                    options.ForSpecialist(
                        group.Group.Name,
                        layout.IsMirrorClosed(group.Group),
                        baseNetwork.LearningRate
                    ),
                    TrainingLoop.EpochSeed(seed, -1 - group.Index),
                    start => session.Budget.Specialist(start, remaining)
                )
                {
                    FlipAxisOffset = baseNetwork.FlipAxisOffset,
                    ExpectedEpoch = baseNetwork.EpochDuration * ((double)group.Train.Rows / Math.Max(1, train.Rows)),
                };
                var (network, history) = TrainOne(baseNetwork.Network, group, stage);
                histories[group.Group.Name] = history;
                // A coordinate in two groups comes from the first group's specialist.
                int[] used = Enumerable
                    .Range(0, group.Coordinates.Length)
                    .Where(c => covered.Add(group.Coordinates[c]))
                    .ToArray();
                members.Add(
                    new EnsembleMember(
                        "specialist_" + group.Group.Name,
                        network,
                        used,
                        used.Select(c => group.Coordinates[c]).ToArray()
                    )
                );
            }
            return (Assemble(baseNetwork.Network, members, covered), histories);
        }
        catch
        {
            foreach (var member in members.Where(m => m.Network != baseNetwork.Network))
                member.Network.Dispose();
            throw;
        }
    }

    /// <summary>The ensemble of the specialists and, for the coordinates none covers, the base network (disposed when
    /// there are none).</summary>
    private KeypointEnsemble Assemble(KeypointNetwork baseNetwork, List<EnsembleMember> members, HashSet<int> covered)
    {
        int[] rest = Enumerable.Range(0, layout.CoordinateCount).Where(c => !covered.Contains(c)).ToArray();
        baseNetwork.to(CPU);
        if (rest.Length > 0)
            members.Insert(0, new EnsembleMember("base", baseNetwork, rest, rest));
        else
            baseNetwork.Dispose();
        var ensemble = new KeypointEnsemble(members, layout.CoordinateCount);
        ensemble.Eval();
        return ensemble;
    }

    /// <summary>Trains the specialist of <paramref name="group"/> from <paramref name="baseNetwork"/>'s weights and
    /// returns it, on the CPU, with its history.</summary>
    private (KeypointNetwork Network, EpochReport[] History) TrainOne(
        KeypointNetwork baseNetwork,
        SpecialistGroup group,
        TrainingStage stage
    )
    {
        manual_seed(stage.Seed);
        var network = NetworkFactory.Create(
            options.Architecture,
            baseNetwork.Input,
            group.Coordinates.Length,
            options.FrozenStages
        );
        try
        {
            CopyWeights(baseNetwork, network, group.Coordinates);
            network.to(session.Device);
            string name = group.Group.Name;
            var loop = new TrainingLoop(
                network,
                stage,
                session with
                {
                    Report = r => session.Report(r with { Specialist = name }),
                }
            );
            var history = loop.Run(group.Train, group.Validation, keepStartingWeightsUnlessBeaten: true)
                .Select(r => r with { Specialist = name })
                .ToArray();
            network.to(CPU);
            return (network, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Copies every parameter and buffer of <paramref name="source"/> into <paramref name="target"/>; where
    /// the target is smaller along its first dimension (the output layer's weight and bias), it takes the rows of
    /// <paramref name="coordinates"/>, so the specialist starts out predicting exactly what the base network
    /// predicts.</summary>
    internal static void CopyWeights(KeypointNetwork source, KeypointNetwork target, int[] coordinates)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var from = source.state_dict();
        var rows = tensor(coordinates.Select(c => (long)c).ToArray(), device: source.parameters().First().device);
        foreach (var (name, destination) in target.state_dict())
        {
            if (!from.TryGetValue(name, out var value))
            {
                throw new InvalidOperationException(
                    $"The base network has no tensor '{name}' to initialise the specialist from."
                );
            }

            if (!value.shape.SequenceEqual(destination.shape))
            {
                if (
                    value.shape[0] != source.Outputs
                    || destination.shape[0] != coordinates.Length
                    || !value.shape[1..].SequenceEqual(destination.shape[1..])
                )
                {
                    throw new InvalidOperationException(
                        $"Tensor '{name}' has shape [{string.Join(", ", value.shape)}] in the base network "
                            + $"and [{string.Join(", ", destination.shape)}] in the specialist."
                    );
                }

                value = value.index_select(0, rows);
            }
            destination.copy_(value);
        }
    }
}
