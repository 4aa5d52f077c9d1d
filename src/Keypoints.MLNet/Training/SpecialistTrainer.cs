using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Nouri's specialists: for every keypoint group of the layout, a copy of the trained base network, initialised
/// from its weights (the output layer keeps the group's rows), is fine-tuned on the rows where the whole group is
/// present, with its own early stopping. The specialists and, for keypoints no group covers, the base network form
/// one <see cref="KeypointEnsemble"/>. Each specialist trains within its share of the Fit's <see cref="TrainingBudget"/>;
/// one whose share would not hold a single epoch keeps the base network's weights.
/// </summary>
internal sealed class SpecialistTrainer
{
    private readonly KeypointLayout layout;
    private readonly KeypointTrainingOptions options;
    private readonly Device device;
    private readonly Action<EpochReport> report;
    private readonly TrainingBudget budget;

    /// <summary>Prepares specialists for <paramref name="layout"/>'s groups, trained with <paramref name="options"/>'s specialist settings.</summary>
    public SpecialistTrainer(KeypointLayout layout, KeypointTrainingOptions options, Device device, Action<EpochReport> report,
        TrainingBudget budget)
    {
        if (layout.Groups.Count == 0)
            throw new InvalidOperationException($"Layout '{layout.Name}' has no keypoint groups, so there are no specialists to train.");
        this.layout = layout;
        this.options = options;
        this.device = device;
        this.report = report;
        this.budget = budget;
    }

    /// <summary>Trains one specialist per group from <paramref name="baseNetwork"/> (which it takes over: it becomes an ensemble
    /// member or is disposed) and returns the ensemble, with every network on the CPU in eval mode, and each specialist's history.
    /// Flips mirror about the base network's axis, <paramref name="flipAxisOffset"/> pixels right of the image's center line;
    /// without <see cref="KeypointTrainingOptions.SpecialistLearningRate"/>, fine-tuning starts at <paramref name="baseLearningRate"/>.
    /// <paramref name="baseEpoch"/>, the duration of a base network epoch on all of <paramref name="train"/>'s rows, gives the
    /// expected duration of a specialist's epoch on its rows.</summary>
    public (KeypointEnsemble Ensemble, Dictionary<string, IReadOnlyList<EpochReport>> Histories) Train(
        KeypointNetwork baseNetwork, TrainingData train, TrainingData? validation, int seed, double flipAxisOffset, double baseLearningRate,
        TimeSpan baseEpoch)
    {
        var members = new List<EnsembleMember>();
        var histories = new Dictionary<string, IReadOnlyList<EpochReport>>();
        var covered = new HashSet<int>();
        try
        {
            var groups = layout.Groups
                .Select((group, g) => (Group: group, Index: g, Coordinates: group.KeypointIndices.SelectMany(k => new[] { 2 * k, 2 * k + 1 }).ToArray()))
                .Select(x => (x.Group, x.Index, x.Coordinates, Train: train.SelectCoordinates(x.Coordinates)))
                .Where(x => x.Train.Rows > 0)
                .ToArray();
            for (int i = 0; i < groups.Length; i++)
            {
                var (group, g, coordinates, groupTrain) = groups[i];
                int remaining = groups.Length - i;
                var expectedEpoch = baseEpoch * ((double)groupTrain.Rows / Math.Max(1, train.Rows));
                var network = TrainOne(baseNetwork, group, coordinates, groupTrain, validation?.SelectCoordinates(coordinates),
                    TrainingLoop.EpochSeed(seed, -1 - g), flipAxisOffset, baseLearningRate, histories,
                    start => budget.Specialist(start, remaining), expectedEpoch);
                // A coordinate in two groups comes from the first group's specialist.
                var used = Enumerable.Range(0, coordinates.Length).Where(i => covered.Add(coordinates[i])).ToArray();
                members.Add(new EnsembleMember("specialist_" + group.Name, network, used, used.Select(i => coordinates[i]).ToArray()));
            }
            var rest = Enumerable.Range(0, layout.CoordinateCount).Where(c => !covered.Contains(c)).ToArray();
            baseNetwork.to(CPU);
            if (rest.Length > 0)
                members.Insert(0, new EnsembleMember("base", baseNetwork, rest, rest));
            else
                baseNetwork.Dispose();
            var ensemble = new KeypointEnsemble(members, layout.CoordinateCount);
            ensemble.Eval();
            return (ensemble, histories);
        }
        catch
        {
            foreach (var member in members.Where(m => m.Network != baseNetwork))
                member.Network.Dispose();
            throw;
        }
    }

    private KeypointNetwork TrainOne(KeypointNetwork baseNetwork, KeypointGroup group, int[] coordinates,
        TrainingData groupTrain, TrainingData? groupValidation, int seed, double flipAxisOffset, double baseLearningRate,
        Dictionary<string, IReadOnlyList<EpochReport>> histories, Func<TimeSpan, TimeSpan?> allowance, TimeSpan expectedEpoch)
    {
        manual_seed(seed);
        var network = NetworkFactory.Create(options.Architecture, baseNetwork.Input, coordinates.Length, options.FrozenStages);
        try
        {
            CopyWeights(baseNetwork, network, coordinates);
            network.to(device);
            var groupLayout = layout.Subset(group);
            var stageOptions = options.ForSpecialist(group.Name, layout.IsMirrorClosed(group), baseLearningRate);
            var loop = new TrainingLoop(network, groupLayout, new CoordinateScaling(groupLayout), stageOptions, device,
                r => report(r with { Specialist = group.Name }), budget, allowance, flipAxisOffset, expectedEpoch);
            histories[group.Name] = loop.Run(groupTrain, groupValidation, seed, keepStartingWeightsUnlessBeaten: true)
                .Select(r => r with { Specialist = group.Name }).ToArray();
            network.to(CPU);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Copies every parameter and buffer of <paramref name="source"/> into <paramref name="target"/>; where the
    /// target is smaller along its first dimension (the output layer's weight and bias), it takes the rows of
    /// <paramref name="coordinates"/>, so the specialist starts out predicting exactly what the base network predicts.</summary>
    internal static void CopyWeights(KeypointNetwork source, KeypointNetwork target, int[] coordinates)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var from = source.state_dict();
        var rows = tensor(coordinates.Select(c => (long)c).ToArray(), device: source.parameters().First().device);
        foreach (var (name, destination) in target.state_dict())
        {
            if (!from.TryGetValue(name, out var value))
                throw new InvalidOperationException($"The base network has no tensor '{name}' to initialise the specialist from.");
            if (!value.shape.SequenceEqual(destination.shape))
            {
                if (value.shape[0] != source.Outputs || destination.shape[0] != coordinates.Length || !value.shape[1..].SequenceEqual(destination.shape[1..]))
                    throw new InvalidOperationException($"Tensor '{name}' has shape [{string.Join(", ", value.shape)}] in the base network " +
                        $"and [{string.Join(", ", destination.shape)}] in the specialist.");
                value = value.index_select(0, rows);
            }
            destination.copy_(value);
        }
    }
}
