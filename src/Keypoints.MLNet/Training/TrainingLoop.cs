using System.Diagnostics;
using System.Globalization;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Runs epochs of mini-batch training over tensors that hold the whole data set: batches are picked
/// by index, half of each is flipped, then augmented as <see cref="KeypointTrainingOptions.Augmentation"/>
/// says, the loss is <see cref="KeypointTrainingOptions.Loss"/> over the labelled coordinates, and the validation RMSE
/// drives early stopping and the choice of the weights that are kept (epochs without validation neither count towards
/// early stopping nor become the best). Training ends after <see cref="ScheduleOptions.MaxEpochs"/>, when patience runs
/// out, or before an epoch that would overrun the stage's share of the Fit's <see cref="TrainingBudget"/>. With <see
/// cref="KeypointTrainingOptions.TestTimeFlip"/> the validation RMSE is that of the prediction the model will serve:
/// the average of the face's prediction and the un-mirrored prediction of its mirror image.
/// </summary>
internal sealed class TrainingLoop
{
    private readonly KeypointNetwork network;
    private readonly TrainingStage stage;
    private readonly TrainingSession session;
    private readonly CoordinateScaling scaling;
    private readonly KeypointLossFunction loss;

    /// <summary>Prepares training of <paramref name="network"/> (already on the session's device) for <paramref
    /// name="stage"/>; flips mirror the labels about the stage's axis, which training moves where the labels put it
    /// when
    /// <see cref="KeypointTrainingOptions.CalibrateFlipAxis"/> is on.</summary>
    public TrainingLoop(KeypointNetwork network, TrainingStage stage, TrainingSession session)
    {
        this.network = network;
        this.stage = stage;
        this.session = session;
        scaling = new CoordinateScaling(stage.Layout);
        loss = new KeypointLossFunction(stage.Options.Loss, scaling.HalfSize);
        FlipAxisOffset = stage.FlipAxisOffset;
    }

    /// <summary>After <see cref="Run"/>: the labels' mirror axis offset in pixels that goes with the network's final
    /// weights (see <see cref="FlipAxisCalibration"/>).</summary>
    public double FlipAxisOffset { get; private set; }

    private KeypointTrainingOptions Options => stage.Options;

    private Device Device => session.Device;

    /// <summary>Trains on <paramref name="train"/>, validating on <paramref name="validation"/> when it has rows,
    /// and returns the per-epoch history. With validation rows and <see cref="ScheduleOptions.RestoreBestWeights"/>,
    /// the network ends with the weights of its best validation epoch. With a checkpoint folder the state is saved
    /// every <see cref="CheckpointOptions.Every"/> epochs, and a run asked to resume continues from it.
    /// With <paramref name="keepStartingWeightsUnlessBeaten"/> (fine-tuning a specialist from the base network), the
    /// starting weights are scored first and kept unless an epoch beats them on validation.</summary>
    public IReadOnlyList<EpochReport> Run(
        TrainingData train,
        TrainingData? validation,
        bool keepStartingWeightsUnlessBeaten = false
    )
    {
        var stageStart = session.Budget.Spent;
        using var trainTensors = train.ToTensors(Device);
        using var validationTensors = validation is { Rows: > 0 } ? validation.ToTensors(Device) : null;
        using var schedule = new OptimizerSchedule(network.parameters(), Options);
        var checkpoint = Options.Checkpoints.Folder is { } folder
            ? new TrainingCheckpoint(folder, stage.Seed, Fingerprint(Options, train, stage.Seed, stage.StartedFrom))
            : null;
        using var state = ResumeOrStart(checkpoint, schedule, stageStart);
        using var transforms = new BatchTransforms(stage.Layout, scaling, Options, Device, state.FlipAxisOffset);
        if (keepStartingWeightsUnlessBeaten && state.EpochsCompleted == 0 && validationTensors is not null)
            ScoreStartingWeights(state, validationTensors, transforms);
        RunEpochs(trainTensors, validationTensors, transforms, schedule, state, checkpoint);
        if (state.BestWeights is not null)
            network.load_state_dict(state.BestWeights);
        FlipAxisOffset = state.BestWeights is not null ? state.BestFlipAxisOffset : transforms.Flipper.AxisOffset;
        network.eval();
        return state.History;
    }

    /// <summary>The state read from the stage's checkpoint when the run resumes and there is one (the Fit's clock then
    /// continues from what it records), else a fresh state.</summary>
    private TrainingStageState ResumeOrStart(
        TrainingCheckpoint? checkpoint,
        OptimizerSchedule schedule,
        TimeSpan stageStart
    )
    {
        var resumed = Options.Checkpoints.Resume
            ? checkpoint?.TryRead(network, (TorchSharp.Modules.OptimizerHelper)schedule.Optimizer, stageStart)
            : null;
        if (resumed is null)
            return new TrainingStageState(stageStart, stage.FlipAxisOffset);
        if (resumed.History.Count > 0)
            session.Budget.ResumedAt(resumed.StageStart + resumed.Elapsed);
        return resumed;
    }

    /// <summary>Makes the starting weights the best so far, with their validation RMSE, so only a better epoch replaces
    /// them.</summary>
    private void ScoreStartingWeights(TrainingStageState state, TrainingTensors validation, BatchTransforms transforms)
    {
        state.BestRmse = Rmse(validation, Options.TestTimeFlip ? transforms.Flipper : null);
        if (Options.Schedule.RestoreBestWeights)
            state.KeepBestWeights(network);
    }

    /// <summary>Trains epochs until <see cref="ScheduleOptions.MaxEpochs"/>, patience or the stage's time runs out; a
    /// run that had ended stays ended, so resuming it trains nothing more.</summary>
    private void RunEpochs(
        TrainingTensors train,
        TrainingTensors? validation,
        BatchTransforms transforms,
        OptimizerSchedule schedule,
        TrainingStageState state,
        TrainingCheckpoint? checkpoint
    )
    {
        var timeLimit = stage.Allowance(state.StageStart);
        var elapsedBefore = state.Elapsed;
        var clock = Stopwatch.StartNew();
        int[] order = new int[(int)train.Rows];
        bool finished = PatienceExhausted(state.EpochsSinceBest) || BudgetSpent(state.History, timeLimit);
        for (int epoch = state.EpochsCompleted; !finished && epoch < Options.Schedule.MaxEpochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            double learningRate = schedule.BeginEpoch(epoch);
            double trainLoss = TrainEpoch(train, order, transforms, schedule.Optimizer, epoch);
            double imagesPerSecond = train.Rows / epochClock.Elapsed.TotalSeconds;
            double rmse = validation is null
                ? double.NaN
                : Rmse(validation, Options.TestTimeFlip ? transforms.Flipper : null);
            bool isBest = state.RecordValidation(rmse, transforms.Flipper.AxisOffset);
            if (isBest && Options.Schedule.RestoreBestWeights)
                state.KeepBestWeights(network);
            var entry = new EpochReport(
                epoch + 1,
                trainLoss,
                rmse,
                learningRate,
                imagesPerSecond,
                elapsedBefore + clock.Elapsed,
                isBest
            );
            state.History.Add(entry);
            state.EpochsCompleted = epoch + 1;
            finished =
                epoch + 1 == Options.Schedule.MaxEpochs
                || PatienceExhausted(state.EpochsSinceBest)
                || BudgetSpent(state.History, timeLimit);
            if (checkpoint is not null && ((epoch + 1) % Options.Checkpoints.Every == 0 || finished))
                checkpoint.Write(state, network, (TorchSharp.Modules.OptimizerHelper)schedule.Optimizer);
            session.Report(entry);
        }
    }

    private bool PatienceExhausted(int sinceBest) =>
        Options.Schedule.EarlyStoppingPatience > 0 && sinceBest >= Options.Schedule.EarlyStoppingPatience;

    /// <summary>Whether another epoch as long as the last one (before the first: as long as the expected epoch) would
    /// overrun the stage's <paramref name="limit"/>. It reads only the history and recorded times, so a resumed run
    /// decides as the run that wrote the checkpoint did.</summary>
    private bool BudgetSpent(List<EpochReport> history, TimeSpan? limit)
    {
        if (limit is not { } stageLimit)
            return false;
        if (history.Count == 0)
            return stage.ExpectedEpoch is { } first && (first > stageLimit || stageLimit <= TimeSpan.Zero);
        var last = history[^1].Elapsed;
        var lastEpoch = last - (history.Count > 1 ? history[^2].Elapsed : TimeSpan.Zero);
        return last + lastEpoch > stageLimit;
    }

    /// <summary>What a checkpoint must match to be resumed by a run of <paramref name="options"/> on <paramref
    /// name="train"/>.</summary>
    /// <param name="options">The run's options.</param>
    /// <param name="train">The training rows.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="startedFrom">The hash of the model a fine-tuning run starts from
    /// (<c>NetworkWeights.ContentHash</c>); null for a run from scratch, so that neither resumes the other's
    /// checkpoint.</param>
    internal static string Fingerprint(
        KeypointTrainingOptions options,
        TrainingData train,
        int seed,
        string? startedFrom = null
    )
    {
        string fingerprint = string.Create(
            CultureInfo.InvariantCulture,
            $"{options.Architecture}, {options.Schedule.Optimizer}, input "
                + $"{train.Input.Channels}x{train.Input.Height}x{train.Input.Width}, "
                + $"{train.Coordinates} outputs, {train.Rows} training rows, batch {options.Schedule.BatchSize}, seed "
                + $"{seed}"
        );
        // Only runs that pre-train or freeze name it, so checkpoints written before the options existed still resume.
        if (options.Pretraining.Epochs > 0)
        {
            fingerprint += string.Create(
                CultureInfo.InvariantCulture,
                $", pretraining {options.Pretraining.Epochs} epochs with noise {options.Pretraining.Noise}"
            );
        }

        // The squared error goes unnamed for the same reason: it was the only loss before the option existed.
        if (options.Loss != KeypointLoss.MeanSquaredError)
            fingerprint += $", {options.Loss} loss";
        if (startedFrom is not null)
            fingerprint += $", fine-tuned from {startedFrom}";
        return options.FrozenStages > 0
            ? fingerprint + string.Create(CultureInfo.InvariantCulture, $", {options.FrozenStages} frozen stages")
            : fingerprint;
    }

    /// <summary>A well-mixed 32-bit seed for one epoch (SplitMix64 of the run seed and the epoch).</summary>
    internal static int EpochSeed(int seed, int epoch)
    {
        ulong z = unchecked(((ulong)(uint)seed << 32 | (uint)epoch) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)(z ^ (z >> 31));
    }

    /// <summary>One epoch over <paramref name="data"/> in an order shuffled by the epoch's seed; returns the mean loss
    /// per present coordinate. Each epoch's randomness comes from (seed, epoch) alone, so a resumed run repeats an
    /// uninterrupted one.</summary>
    private double TrainEpoch(
        TrainingTensors data,
        int[] order,
        BatchTransforms transforms,
        optim.Optimizer optimizer,
        int epoch
    )
    {
        int epochSeed = EpochSeed(stage.Seed, epoch);
        var random = new Random(epochSeed);
        manual_seed(epochSeed);
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        random.Shuffle(order);
        network.train();
        double lossSum = 0,
            weightSum = 0;
        for (int start = 0; start < order.Length; start += Options.Schedule.BatchSize)
        {
            using var scope = NewDisposeScope();
            var index = BatchIndex(order, start, Options.Schedule.BatchSize, Device);
            var x = data.Images.index_select(0, index);
            var y = data.Targets.index_select(0, index);
            var m = data.Mask.index_select(0, index);
            long[] flipped = transforms.Apply(x, y, m, random);
            var present = m.sum();
            var prediction = network.forward(x);
            transforms.Calibration?.Add(prediction, y, m, flipped);
            var batchLoss = loss.Compute(prediction, y, m);
            optimizer.zero_grad();
            batchLoss.backward();
            optimizer.step();
            double weight = present.item<float>();
            lossSum += batchLoss.item<float>() * weight;
            weightSum += weight;
        }
        transforms.EndEpoch();
        return weightSum > 0 ? lossSum / weightSum : double.NaN;
    }

    /// <summary>The row numbers of the batch that starts at <paramref name="start"/> of <paramref name="order"/>, as an
    /// index tensor; the last batch holds what is left.</summary>
    internal static Tensor BatchIndex(int[] order, int start, int batchSize, Device device)
    {
        long[] rows = new long[Math.Min(batchSize, order.Length - start)];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = order[start + i];
        return tensor(rows, device: device);
    }

    /// <summary>RMSE in pixels over present coordinates of <paramref name="data"/>, evaluated in batches without
    /// gradients; with
    /// <paramref name="testTimeFlip"/>, of the average of each prediction and the un-mirrored prediction of the
    /// mirrored face.</summary>
    private double Rmse(TrainingTensors data, BatchFlipper? testTimeFlip)
    {
        network.eval();
        using var noGrad = no_grad();
        using var pixelsPerUnit = tensor(scaling.HalfSize, device: Device);
        double squared = 0,
            present = 0;
        for (long start = 0; start < data.Rows; start += 256)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(256, data.Rows - start);
            var m = data.Mask.narrow(0, start, length);
            var x = data.Images.narrow(0, start, length);
            var prediction = network.forward(x);
            if (testTimeFlip is not null)
                prediction = (prediction + testTimeFlip.Mirror(network.forward(x.flip(3)))) / 2;
            var error = (prediction - data.Targets.narrow(0, start, length)) * pixelsPerUnit * m;
            squared += error.square().sum().item<float>();
            present += m.sum().item<float>();
        }
        return present > 0 ? Math.Sqrt(squared / present) : double.NaN;
    }
}
