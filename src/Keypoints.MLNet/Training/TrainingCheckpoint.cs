using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Everything needed to continue an interrupted training run exactly where it stopped, written
/// atomically (a temporary file in the same folder, flushed to disk, then renamed over the old one),
/// so a crash at any moment leaves either the previous checkpoint or the new one, never a torn file.
/// </summary>
/// <remarks>
/// File format (<c>checkpoint.kpck</c>, little-endian, <see cref="BinaryWriter"/> encodings):
/// <code>
/// "KPCK"  int32 version (3; version 2, without the stage start, and version 1, also without the two axis offsets
///         (read as 0), still read)
/// int32   seed               string run fingerprint (architecture, optimizer, input and output sizes, batch size, seed,
///                            pre-training epochs and noise when it pre-trains)
/// int32   epochs completed       double best validation RMSE   int32 epochs since the best
/// double  flip axis offset now   double flip axis offset of the best epoch (pixels; from version 2)
/// int64   stage start ticks: the Fit's time (see TrainingBudget) when this stage (base network or one specialist) started
///         training, so a resumed run shares out MaxTrainingTime as the interrupted one did (from version 3)
/// int32   history count, then per epoch: int32 epoch, double train loss, double validation RMSE,
///         double learning rate, double images/s, int64 elapsed ticks, bool is-best
/// network weights and buffers    (TorchSharp Module.save format)
/// optimizer state                (TorchSharp Optimizer.save_state_dict format)
/// bool    has best weights, then int32 count and per tensor: string name, tensor (TorchSharp Tensor.Save format)
/// </code>
/// Random state is not stored: every epoch draws from generators seeded by (seed, epoch), so a resumed
/// run repeats the uninterrupted one.
/// </remarks>
internal sealed class TrainingCheckpoint
{
    private const string Magic = "KPCK";
    private const int Version = 3;

    /// <summary>The checkpoint file in <paramref name="folder"/>.</summary>
    public static string PathIn(string folder) => System.IO.Path.Combine(folder, "checkpoint.kpck");

    /// <summary>Epochs completed when the checkpoint was written.</summary>
    public int EpochsCompleted { get; private init; }

    /// <summary>Lowest validation RMSE so far.</summary>
    public double BestRmse { get; private init; }

    /// <summary>Epochs since <see cref="BestRmse"/>.</summary>
    public int SinceBest { get; private init; }

    /// <summary>The labels' mirror axis offset in pixels that the flips used last (see <see cref="FlipAxisCalibration"/>).</summary>
    public double FlipAxisOffset { get; private init; }

    /// <summary>The mirror axis offset that goes with <see cref="BestWeights"/>.</summary>
    public double BestFlipAxisOffset { get; private init; }

    /// <summary>The Fit's time when the stage started training; null in checkpoints before version 3.</summary>
    public TimeSpan? StageStart { get; private init; }

    /// <summary>The per-epoch history so far.</summary>
    public List<EpochReport> History { get; private init; } = [];

    /// <summary>Weights of the best epoch, when kept.</summary>
    public Dictionary<string, Tensor>? BestWeights { get; private init; }

    /// <summary>Writes the state of a run after <paramref name="epochsCompleted"/> epochs to <paramref name="folder"/>.</summary>
    public static void Write(string folder, int seed, string fingerprint, int epochsCompleted, double bestRmse, int sinceBest,
        double flipAxisOffset, double bestFlipAxisOffset, TimeSpan stageStart, IReadOnlyList<EpochReport> history, nn.Module network,
        OptimizerHelper optimizer, Dictionary<string, Tensor>? bestWeights)
    {
        Directory.CreateDirectory(folder);
        var path = PathIn(folder);
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(seed);
            writer.Write(fingerprint);
            writer.Write(epochsCompleted);
            writer.Write(bestRmse);
            writer.Write(sinceBest);
            writer.Write(flipAxisOffset);
            writer.Write(bestFlipAxisOffset);
            writer.Write(stageStart.Ticks);
            writer.Write(history.Count);
            foreach (var h in history)
            {
                writer.Write(h.Epoch);
                writer.Write(h.TrainLoss);
                writer.Write(h.ValidationRmse);
                writer.Write(h.LearningRate);
                writer.Write(h.ImagesPerSecond);
                writer.Write(h.Elapsed.Ticks);
                writer.Write(h.IsBest);
            }
            network.save(writer);
            optimizer.save_state_dict(writer);
            writer.Write(bestWeights is not null);
            if (bestWeights is not null)
            {
                writer.Write(bestWeights.Count);
                foreach (var (name, tensor) in bestWeights)
                {
                    writer.Write(name);
                    tensor.Save(writer);
                }
            }
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The seed of the run that wrote the checkpoint in <paramref name="folder"/>, or null when there is none.</summary>
    public static int? TryReadSeed(string folder)
    {
        var path = PathIn(folder);
        if (!File.Exists(path))
            return null;
        using var reader = OpenChecked(path, out _);
        return reader.ReadInt32();
    }

    /// <summary>Fails when the checkpoint in <paramref name="folder"/>, if there is one, was written by a run other than the one
    /// <paramref name="fingerprint"/> describes; reads only the file's header, so a Fit can check before it trains anything.</summary>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to a differently configured run.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of a version this build reads.</exception>
    public static void CheckResumable(string folder, string fingerprint)
    {
        var path = PathIn(folder);
        if (!File.Exists(path))
            return;
        using var reader = OpenChecked(path, out _);
        reader.ReadInt32();
        CheckFingerprint(path, reader.ReadString(), fingerprint);
    }

    private static void CheckFingerprint(string path, string stored, string fingerprint)
    {
        if (stored != fingerprint)
            throw new InvalidOperationException(
                $"{path} was written by a different run ({stored}); this run is ({fingerprint}). Use another checkpoint folder or the same options.");
    }

    private static BinaryReader OpenChecked(string path, out int version)
    {
        var reader = new BinaryReader(File.OpenRead(path));
        version = reader.ReadString() == Magic ? reader.ReadInt32() : -1;
        if (version is < 1 or > Version)
        {
            reader.Dispose();
            throw new InvalidDataException($"{path} is not a Keypoints.MLNet checkpoint of version 1 to {Version}.");
        }
        return reader;
    }

    /// <summary>Reads the checkpoint in <paramref name="folder"/> into <paramref name="network"/> and <paramref name="optimizer"/>,
    /// or returns null when there is none.</summary>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to a differently configured run.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of a version this build reads.</exception>
    public static TrainingCheckpoint? TryRead(string folder, string fingerprint, nn.Module network, OptimizerHelper optimizer)
    {
        var path = PathIn(folder);
        if (!File.Exists(path))
            return null;
        using var reader = OpenChecked(path, out int version);
        reader.ReadInt32();
        CheckFingerprint(path, reader.ReadString(), fingerprint);
        int epochs = reader.ReadInt32();
        double bestRmse = reader.ReadDouble();
        int sinceBest = reader.ReadInt32();
        double flipAxisOffset = version >= 2 ? reader.ReadDouble() : 0;
        double bestFlipAxisOffset = version >= 2 ? reader.ReadDouble() : 0;
        TimeSpan? stageStart = version >= 3 ? TimeSpan.FromTicks(reader.ReadInt64()) : null;
        var history = new List<EpochReport>();
        for (int i = reader.ReadInt32(); i > 0; i--)
        {
            history.Add(new EpochReport(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(),
                reader.ReadDouble(), TimeSpan.FromTicks(reader.ReadInt64()), reader.ReadBoolean()));
        }
        network.load(reader);
        optimizer.load_state_dict(reader);
        Dictionary<string, Tensor>? best = null;
        if (reader.ReadBoolean())
        {
            best = [];
            for (int i = reader.ReadInt32(); i > 0; i--)
                best[reader.ReadString()] = TensorExtensionMethods.Load(reader).DetachFromDisposeScope();
        }
        return new TrainingCheckpoint
        {
            EpochsCompleted = epochs, BestRmse = bestRmse, SinceBest = sinceBest, FlipAxisOffset = flipAxisOffset,
            BestFlipAxisOffset = bestFlipAxisOffset, StageStart = stageStart, History = history, BestWeights = best,
        };
    }
}
