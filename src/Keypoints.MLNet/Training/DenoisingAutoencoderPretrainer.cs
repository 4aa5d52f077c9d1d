using System.Diagnostics;
using Keypoints.MLNet.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Pre-trains a network's convolutional trunk as the encoder of a denoising autoencoder: Gaussian noise is added
/// to every training image, a <see cref="ReconstructionDecoder"/> maps the trunk's feature maps back to the image,
/// and trunk and decoder learn with Adam to reconstruct the clean image (mean squared error). Labels are not read,
/// so rows with missing keypoints count too. The decoder is then thrown away; the trunk keeps its weights and the
/// dense head is left as initialized.
/// </summary>
internal sealed class DenoisingAutoencoderPretrainer
{
    private const double LearningRate = 1e-3;

    private readonly KeypointNetwork network;
    private readonly KeypointTrainingOptions options;
    private readonly Device device;
    private readonly Action<PretrainingReport> report;

    /// <summary>Prepares pre-training of the trunk of <paramref name="network"/> (already on <paramref
    /// name="device"/>).</summary>
    public DenoisingAutoencoderPretrainer(
        KeypointNetwork network,
        KeypointTrainingOptions options,
        Device device,
        Action<PretrainingReport> report
    )
    {
        this.network = network;
        this.options = options;
        this.device = device;
        this.report = report;
    }

    /// <summary>Whether a run with <paramref name="options"/> pre-trains: it is asked for, and the run does not resume
    /// from an existing checkpoint, whose weights would replace the pre-trained ones anyway.</summary>
    public static bool IsWanted(KeypointTrainingOptions options) =>
        options.Pretraining.Epochs > 0
        && !(
            options.Checkpoints.Resume
            && options.Checkpoints.Folder is { } folder
            && File.Exists(TrainingCheckpoint.PathIn(folder))
        );

    /// <summary>Runs <see cref="PretrainingOptions.Epochs"/> epochs over the images of <paramref name="data"/>,
    /// or fewer when another epoch as long as the last would overrun <paramref name="timeLimit"/> (its share of the
    /// Fit's
    /// <see cref="TimeBudgetOptions.MaxTrainingTime"/>), and returns the reports. With the same <paramref name="seed"/>
    /// and no time limit a CPU run is repeatable.</summary>
    public IReadOnlyList<PretrainingReport> Run(TrainingData data, int seed, TimeSpan? timeLimit = null)
    {
        using var tensors = data.ToTensors(device);
        // Seeds of the form (seed, int.MinValue + k) stay clear of the training epochs' (seed, epoch).
        manual_seed(TrainingLoop.EpochSeed(seed, int.MinValue));
        using var decoder = CreateDecoder();
        decoder.to(device);
        using var optimizer = optim.Adam([.. network.TrunkParameters(), .. decoder.parameters()], LearningRate);
        var history = new List<PretrainingReport>();
        var clock = Stopwatch.StartNew();
        int[] order = new int[data.Rows];
        network.train();
        decoder.train();
        for (int epoch = 0; epoch < options.Pretraining.Epochs && !TimeUp(history, timeLimit); epoch++)
        {
            int epochSeed = TrainingLoop.EpochSeed(seed, int.MinValue + 1 + epoch);
            manual_seed(epochSeed);
            for (int i = 0; i < order.Length; i++)
                order[i] = i;
            new Random(epochSeed).Shuffle(order);
            var entry = new PretrainingReport(
                epoch + 1,
                Epoch(tensors.Images, order, decoder, optimizer),
                clock.Elapsed
            );
            history.Add(entry);
            report(entry);
        }
        return history;
    }

    private static bool TimeUp(List<PretrainingReport> history, TimeSpan? limit)
    {
        if (limit is not { } stageLimit || history.Count == 0)
            return false;
        var last = history[^1].Elapsed;
        var lastEpoch = last - (history.Count > 1 ? history[^2].Elapsed : TimeSpan.Zero);
        return last + lastEpoch > stageLimit;
    }

    private ReconstructionDecoder CreateDecoder() => new(FeatureShape(), network.Input);

    /// <summary>The trunk's output shape <c>[C', H', W']</c>, from one blank image.</summary>
    private long[] FeatureShape()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        network.eval();
        return network
            .Features(zeros(1, network.Input.Channels, network.Input.Height, network.Input.Width, device: device))
            .shape[1..];
    }

    private double Epoch(Tensor images, int[] order, ReconstructionDecoder decoder, optim.Optimizer optimizer)
    {
        double squaredSum = 0;
        for (int start = 0; start < order.Length; start += options.Schedule.BatchSize)
        {
            using var scope = NewDisposeScope();
            var clean = images.index_select(
                0,
                TrainingLoop.BatchIndex(order, start, options.Schedule.BatchSize, device)
            );
            var corrupted = clean + randn_like(clean) * options.Pretraining.Noise;
            var loss = (decoder.forward(network.Features(corrupted)) - clean).square().mean();
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            squaredSum += loss.item<float>() * clean.shape[0];
        }
        return squaredSum / order.Length;
    }
}
