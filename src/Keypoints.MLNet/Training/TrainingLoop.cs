using System.Diagnostics;
using System.Globalization;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Runs epochs of mini-batch training over tensors that hold the whole data set: batches are picked
/// by index, half of each is flipped, then augmented as <see cref="KeypointTrainingOptions.Augmentation"/>
/// says, the loss is the masked mean squared error, and the validation RMSE drives early stopping and the
/// choice of the weights that are kept (epochs without validation neither count towards early stopping nor become the best).
/// Training ends after <see cref="KeypointTrainingOptions.MaxEpochs"/>, when patience runs out, or before an epoch that would
/// overrun the stage's share of the Fit's <see cref="TrainingBudget"/>. With <see cref="KeypointTrainingOptions.TestTimeFlip"/> the validation RMSE is that of
/// the prediction the model will serve: the average of the face's prediction and the un-mirrored prediction of its mirror image.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly KeypointNetwork network;
    private readonly KeypointLayout layout;
    private readonly CoordinateScaling scaling;
    private readonly KeypointTrainingOptions options;
    private readonly Device device;
    private readonly Action<EpochReport> report;
    private readonly double initialFlipAxisOffset;
    private readonly TrainingBudget budget;
    private readonly Func<TimeSpan, TimeSpan?> allowance;
    private readonly TimeSpan? expectedEpoch;
    private readonly string? startedFrom;

    /// <summary>Prepares training of <paramref name="network"/> on <paramref name="device"/>; flips mirror the labels about an
    /// axis <paramref name="flipAxisOffset"/> pixels right of the image's center line, which training moves where the labels
    /// put it when <see cref="KeypointTrainingOptions.CalibrateFlipAxis"/> is on. The stage may use <paramref name="allowance"/>
    /// (given the time on <paramref name="budget"/>'s clock when it starts) of the Fit's time, null for no limit. Without
    /// <paramref name="expectedEpoch"/> it trains at least one epoch; with it (an estimate of the first epoch's duration, for a
    /// stage that may end with the weights it starts from) it trains none when that estimate would already overrun the limit.
    /// <paramref name="startedFrom"/> names the model a fine-tuning run starts from, so its checkpoints resume only such a run.</summary>
    public TrainingLoop(KeypointNetwork network, KeypointLayout layout, CoordinateScaling scaling,
        KeypointTrainingOptions options, Device device, Action<EpochReport> report, TrainingBudget budget,
        Func<TimeSpan, TimeSpan?> allowance, double flipAxisOffset = 0, TimeSpan? expectedEpoch = null, string? startedFrom = null)
    {
        this.startedFrom = startedFrom;
        this.budget = budget;
        this.allowance = allowance;
        this.expectedEpoch = expectedEpoch;
        initialFlipAxisOffset = flipAxisOffset;
        FlipAxisOffset = flipAxisOffset;
        this.network = network;
        this.layout = layout;
        this.scaling = scaling;
        this.options = options;
        this.device = device;
        this.report = report;
    }

    /// <summary>After <see cref="Run"/>: the labels' mirror axis offset in pixels that goes with the network's final weights
    /// (see <see cref="FlipAxisCalibration"/>).</summary>
    public double FlipAxisOffset { get; private set; }

    /// <summary>Trains on <paramref name="train"/>, validating on <paramref name="validation"/> when it has rows,
    /// and returns the per-epoch history. With validation rows and <see cref="KeypointTrainingOptions.RestoreBestWeights"/>,
    /// the network ends with the weights of its best validation epoch. With a checkpoint folder the state is saved
    /// every <see cref="KeypointTrainingOptions.CheckpointEvery"/> epochs, and a run asked to resume continues from it.
    /// With <paramref name="keepStartingWeightsUnlessBeaten"/> (fine-tuning a specialist from the base network), the starting
    /// weights are scored first and kept unless an epoch beats them on validation.</summary>
    public IReadOnlyList<EpochReport> Run(TrainingData train, TrainingData? validation, int seed, bool keepStartingWeightsUnlessBeaten = false)
    {
        var stageStart = budget.Spent;
        var (images, targets, mask) = train.ToTensors(device);
        var validationTensors = validation is { Rows: > 0 } ? validation.ToTensors(device) : default;
        using var calibration = options.FlipAugmentation && options.CalibrateFlipAxis ? new FlipAxisCalibration(scaling, device) : null;
        using var augmenter = options.Augmentation.IsEnabled
            ? new BatchAugmenter(options.Augmentation, layout.ImageWidth, layout.ImageHeight, device)
            : null;
        using var schedule = new OptimizerSchedule(network.parameters(), options);
        using var pixelsPerUnit = tensor(scaling.HalfSize, device: device);
        var optimizerState = (TorchSharp.Modules.OptimizerHelper)schedule.Optimizer;
        string fingerprint = Fingerprint(options, train, seed, startedFrom);
        var resumed = options.ResumeFromCheckpoint && options.CheckpointFolder is { } folder
            ? TrainingCheckpoint.TryRead(folder, fingerprint, network, optimizerState)
            : null;
        using var flipper = new BatchFlipper(layout, scaling, device, resumed?.FlipAxisOffset ?? initialFlipAxisOffset);
        double bestFlipAxisOffset = resumed?.BestFlipAxisOffset ?? initialFlipAxisOffset;
        var testTimeFlip = options.TestTimeFlip ? flipper : null;
        var history = resumed?.History ?? [];
        if (resumed is not null)
        {
            // Checkpoints before format 3 do not record when the stage started; this run's clock is the best guess then.
            stageStart = resumed.StageStart ?? stageStart;
            if (history.Count > 0)
                budget.ResumedAt(stageStart + history[^1].Elapsed);
        }
        var timeLimit = allowance(stageStart);
        var bestWeights = resumed?.BestWeights;
        double bestRmse = resumed?.BestRmse ?? double.PositiveInfinity;
        int sinceBest = resumed?.SinceBest ?? 0;
        if (keepStartingWeightsUnlessBeaten && resumed is null && validationTensors.Images is not null)
        {
            bestRmse = Rmse(validationTensors.Images, validationTensors.Targets, validationTensors.Mask, pixelsPerUnit, testTimeFlip);
            if (options.RestoreBestWeights)
                bestWeights = Snapshot(null);
        }
        var elapsedBefore = history.Count > 0 ? history[^1].Elapsed : TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        var order = new int[train.Rows];
        try
        {
            // A run that had ended (patience or time used up) stays ended: resuming it trains nothing more.
            bool finished = (resumed is not null && PatienceExhausted(sinceBest)) || BudgetSpent(history, timeLimit);
            for (int epoch = resumed?.EpochsCompleted ?? 0; !finished && epoch < options.MaxEpochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                double learningRate = schedule.BeginEpoch(epoch);
                // Each epoch's randomness comes from (seed, epoch) alone, so a resumed run repeats an uninterrupted one.
                int epochSeed = EpochSeed(seed, epoch);
                var random = new Random(epochSeed);
                manual_seed(epochSeed);
                for (int i = 0; i < order.Length; i++)
                    order[i] = i;
                random.Shuffle(order);
                double trainLoss = TrainEpoch(images, targets, mask, order, flipper, augmenter, calibration, schedule.Optimizer, random);
                if (calibration is not null)
                    flipper.SetAxisOffset(flipper.AxisOffset + calibration.TakeCorrection());
                double imagesPerSecond = train.Rows / epochClock.Elapsed.TotalSeconds;
                double rmse = validationTensors.Images is null
                    ? double.NaN
                    : Rmse(validationTensors.Images, validationTensors.Targets, validationTensors.Mask, pixelsPerUnit, testTimeFlip);
                bool isBest = rmse < bestRmse;
                if (isBest)
                {
                    bestRmse = rmse;
                    sinceBest = 0;
                    if (options.RestoreBestWeights)
                        bestWeights = Snapshot(bestWeights);
                    bestFlipAxisOffset = flipper.AxisOffset;
                }
                else if (!double.IsNaN(rmse))
                {
                    // Only a validated epoch can fail to improve; without validation, training runs MaxEpochs.
                    sinceBest++;
                }
                var elapsed = elapsedBefore + clock.Elapsed;
                var entry = new EpochReport(epoch + 1, trainLoss, rmse, learningRate, imagesPerSecond, elapsed, isBest);
                history.Add(entry);
                finished = epoch + 1 == options.MaxEpochs || PatienceExhausted(sinceBest) || BudgetSpent(history, timeLimit);
                if (options.CheckpointFolder is { } checkpoints && ((epoch + 1) % options.CheckpointEvery == 0 || finished))
                {
                    TrainingCheckpoint.Write(checkpoints, seed, fingerprint, epoch + 1, bestRmse, sinceBest, flipper.AxisOffset,
                        bestFlipAxisOffset, stageStart, history, network, optimizerState, bestWeights);
                }
                report(entry);
            }
            if (bestWeights is not null)
                network.load_state_dict(bestWeights);
            FlipAxisOffset = bestWeights is not null ? bestFlipAxisOffset : flipper.AxisOffset;
        }
        finally
        {
            foreach (var t in bestWeights?.Values ?? Enumerable.Empty<Tensor>())
                t.Dispose();
            images.Dispose();
            targets.Dispose();
            mask.Dispose();
            validationTensors.Images?.Dispose();
            validationTensors.Targets?.Dispose();
            validationTensors.Mask?.Dispose();
        }
        network.eval();
        return history;
    }

    private bool PatienceExhausted(int sinceBest) => options.EarlyStoppingPatience > 0 && sinceBest >= options.EarlyStoppingPatience;

    /// <summary>Whether another epoch as long as the last one (before the first: as long as the expected epoch) would overrun the
    /// stage's <paramref name="limit"/>. It reads only the history and recorded times, so a resumed run decides as the run that
    /// wrote the checkpoint did.</summary>
    private bool BudgetSpent(List<EpochReport> history, TimeSpan? limit)
    {
        if (limit is not { } stageLimit)
            return false;
        if (history.Count == 0)
            return expectedEpoch is { } first && (first > stageLimit || stageLimit <= TimeSpan.Zero);
        var last = history[^1].Elapsed;
        var lastEpoch = last - (history.Count > 1 ? history[^2].Elapsed : TimeSpan.Zero);
        return last + lastEpoch > stageLimit;
    }

    /// <summary>What a checkpoint must match to be resumed by a run of <paramref name="options"/> on <paramref name="train"/>.</summary>
    /// <param name="options">The run's options.</param>
    /// <param name="train">The training rows.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="startedFrom">The hash of the model a fine-tuning run starts from (<c>NetworkWeights.ContentHash</c>); null
    /// for a run from scratch, so that neither resumes the other's checkpoint.</param>
    internal static string Fingerprint(KeypointTrainingOptions options, TrainingData train, int seed, string? startedFrom = null)
    {
        var fingerprint = string.Create(CultureInfo.InvariantCulture,
            $"{options.Architecture}, {options.Optimizer}, input {train.Input.Channels}x{train.Input.Height}x{train.Input.Width}, " +
            $"{train.Coordinates} outputs, {train.Rows} training rows, batch {options.BatchSize}, seed {seed}");
        // Only runs that pre-train or freeze name it, so checkpoints written before the options existed still resume.
        if (options.PretrainingEpochs > 0)
            fingerprint += string.Create(CultureInfo.InvariantCulture, $", pretraining {options.PretrainingEpochs} epochs with noise {options.PretrainingNoise}");
        if (startedFrom is not null)
            fingerprint += $", fine-tuned from {startedFrom}";
        return options.FrozenStages > 0 ? fingerprint + string.Create(CultureInfo.InvariantCulture, $", {options.FrozenStages} frozen stages") : fingerprint;
    }

    /// <summary>A well-mixed 32-bit seed for one epoch (SplitMix64 of the run seed and the epoch).</summary>
    internal static int EpochSeed(int seed, int epoch)
    {
        ulong z = unchecked(((ulong)(uint)seed << 32 | (uint)epoch) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }

    private double TrainEpoch(Tensor images, Tensor targets, Tensor mask, int[] order,
        BatchFlipper flipper, BatchAugmenter? augmenter, FlipAxisCalibration? calibration, optim.Optimizer optimizer, Random random)
    {
        network.train();
        double lossSum = 0, weightSum = 0;
        for (int start = 0; start < order.Length; start += options.BatchSize)
        {
            using var scope = NewDisposeScope();
            var index = BatchIndex(order, start, options.BatchSize, device);
            var x = images.index_select(0, index);
            var y = targets.index_select(0, index);
            var m = mask.index_select(0, index);
            long[] flipped = options.FlipAugmentation ? flipper.FlipHalf(x, y, m, random) : [];
            augmenter?.Apply(x, y, m, random);
            var present = m.sum();
            var prediction = network.forward(x);
            calibration?.Add(prediction, y, m, flipped);
            var difference = (prediction - y) * m;
            var loss = difference.square().sum() / present.clamp_min(1);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            double weight = present.item<float>();
            lossSum += loss.item<float>() * weight;
            weightSum += weight;
        }
        return weightSum > 0 ? lossSum / weightSum : double.NaN;
    }

    /// <summary>The row numbers of the batch that starts at <paramref name="start"/> of <paramref name="order"/>, as an index tensor;
    /// the last batch holds what is left.</summary>
    internal static Tensor BatchIndex(int[] order, int start, int batchSize, Device device)
    {
        var rows = new long[Math.Min(batchSize, order.Length - start)];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = order[start + i];
        return tensor(rows, device: device);
    }

    /// <summary>RMSE in pixels over present coordinates, evaluated in batches without gradients; with <paramref name="testTimeFlip"/>,
    /// of the average of each prediction and the un-mirrored prediction of the mirrored face.</summary>
    private double Rmse(Tensor images, Tensor targets, Tensor mask, Tensor pixelsPerUnit, BatchFlipper? testTimeFlip)
    {
        network.eval();
        using var noGrad = no_grad();
        double squared = 0, present = 0;
        long rows = images.shape[0];
        for (long start = 0; start < rows; start += 256)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(256, rows - start);
            var m = mask.narrow(0, start, length);
            var x = images.narrow(0, start, length);
            var prediction = network.forward(x);
            if (testTimeFlip is not null)
                prediction = (prediction + testTimeFlip.Mirror(network.forward(x.flip(3)))) / 2;
            var error = (prediction - targets.narrow(0, start, length)) * pixelsPerUnit * m;
            squared += error.square().sum().item<float>();
            present += m.sum().item<float>();
        }
        return present > 0 ? Math.Sqrt(squared / present) : double.NaN;
    }

    private Dictionary<string, Tensor> Snapshot(Dictionary<string, Tensor>? previous)
    {
        foreach (var t in previous?.Values ?? Enumerable.Empty<Tensor>())
            t.Dispose();
        return network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
    }
}
