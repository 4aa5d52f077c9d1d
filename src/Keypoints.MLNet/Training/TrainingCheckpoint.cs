using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// The checkpoint of one training stage: everything needed to continue an interrupted run exactly where it stopped,
/// written atomically (a temporary file in the same folder, flushed to disk, then renamed over the old one), so a crash
/// at any moment leaves either the previous checkpoint or the new one, never a torn file.
/// </summary>
/// <remarks>
/// File format (<c>checkpoint.kpck</c>, little-endian, <see cref="BinaryWriter"/> encodings). Versions 1 and 2 are
/// still read: version 1 lacks the two axis offsets (read as 0), version 2 the stage start (this run's clock is used
/// instead).
/// <code>
/// "KPCK"  int32 version (3)
/// int32   seed               string run fingerprint (see TrainingLoop.Fingerprint)
/// int32   epochs completed       double best validation RMSE   int32 epochs since the best
/// double  flip axis offset now   double flip axis offset of the best epoch (pixels)
/// int64   stage start ticks: the Fit's time (see TrainingBudget) when this stage (base network or one specialist)
/// started int32   history count, then per epoch: int32 epoch, double train loss, double validation RMSE,
///         double learning rate, double images/s, int64 elapsed ticks, bool is-best
/// network weights and buffers    (TorchSharp Module.save format)
/// optimizer state                (TorchSharp Optimizer.save_state_dict format)
/// bool    has best weights, then int32 count and per tensor: string name, tensor (TorchSharp Tensor.Save format)
/// </code>
/// Random state is not stored: every epoch draws from generators seeded by (seed, epoch), so a resumed run repeats the
/// uninterrupted one.
/// </remarks>
internal sealed class TrainingCheckpoint
{
    private const string Magic = "KPCK";
    private const int Version = 3;

    private readonly int seed;
    private readonly string fingerprint;

    /// <summary>The checkpoint in <paramref name="folder"/> of the run with <paramref name="seed"/> that
    /// <paramref name="fingerprint"/> describes.</summary>
    public TrainingCheckpoint(string folder, int seed, string fingerprint)
    {
        Folder = folder;
        this.seed = seed;
        this.fingerprint = fingerprint;
    }

    /// <summary>The folder that holds the checkpoint file.</summary>
    public string Folder { get; }

    /// <summary>The checkpoint file in <paramref name="folder"/>.</summary>
    public static string PathIn(string folder) => Path.Combine(folder, "checkpoint.kpck");

    /// <summary>Writes <paramref name="state"/>, <paramref name="network"/>'s weights and <paramref
    /// name="optimizer"/>'s state.</summary>
    public void Write(TrainingStageState state, nn.Module network, OptimizerHelper optimizer)
    {
        Directory.CreateDirectory(Folder);
        string path = PathIn(Folder);
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(seed);
            writer.Write(fingerprint);
            WriteState(writer, state);
            network.save(writer);
            optimizer.save_state_dict(writer);
            WriteBestWeights(writer, state.BestWeights);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads the checkpoint into <paramref name="network"/> and <paramref name="optimizer"/> and returns the
    /// stage's state, or returns null when there is none; a checkpoint that records no stage start (before version 3)
    /// gets
    /// <paramref name="unrecordedStageStart"/>.</summary>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to a differently configured run.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of a version this build reads.</exception>
    public TrainingStageState? TryRead(nn.Module network, OptimizerHelper optimizer, TimeSpan unrecordedStageStart)
    {
        string path = PathIn(Folder);
        if (!File.Exists(path))
            return null;
        using var reader = OpenChecked(path, out int version);
        reader.ReadInt32();
        CheckFingerprint(path, reader.ReadString(), fingerprint);
        var state = ReadState(reader, version, unrecordedStageStart);
        network.load(reader);
        optimizer.load_state_dict(reader);
        state.BestWeights = ReadBestWeights(reader);
        return state;
    }

    /// <summary>The seed of the run that wrote the checkpoint in <paramref name="folder"/>, or null when there is
    /// none.</summary>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of a version this build reads.</exception>
    public static int? TryReadSeed(string folder) => ReadHeader(folder)?.Seed;

    /// <summary>Fails when the checkpoint in <paramref name="folder"/>, if there is one, was written by a run other
    /// than the one
    /// <paramref name="fingerprint"/> describes; reads only the file's header, so a Fit can check before it trains
    /// anything.</summary>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to a differently configured run.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint of a version this build reads.</exception>
    public static void CheckResumable(string folder, string fingerprint)
    {
        if (ReadHeader(folder) is { } header)
            CheckFingerprint(PathIn(folder), header.Fingerprint, fingerprint);
    }

    /// <summary>The seed and run fingerprint of the checkpoint in <paramref name="folder"/>, or null when there is
    /// none.</summary>
    private static (int Seed, string Fingerprint)? ReadHeader(string folder)
    {
        string path = PathIn(folder);
        if (!File.Exists(path))
            return null;
        using var reader = OpenChecked(path, out _);
        return (reader.ReadInt32(), reader.ReadString());
    }

    private static void WriteState(BinaryWriter writer, TrainingStageState state)
    {
        writer.Write(state.EpochsCompleted);
        writer.Write(state.BestRmse);
        writer.Write(state.EpochsSinceBest);
        writer.Write(state.FlipAxisOffset);
        writer.Write(state.BestFlipAxisOffset);
        writer.Write(state.StageStart.Ticks);
        writer.Write(state.History.Count);
        foreach (var h in state.History)
        {
            writer.Write(h.Epoch);
            writer.Write(h.TrainLoss);
            writer.Write(h.ValidationRmse);
            writer.Write(h.LearningRate);
            writer.Write(h.ImagesPerSecond);
            writer.Write(h.Elapsed.Ticks);
            writer.Write(h.IsBest);
        }
    }

    private static TrainingStageState ReadState(BinaryReader reader, int version, TimeSpan unrecordedStageStart)
    {
        int epochs = reader.ReadInt32();
        double bestRmse = reader.ReadDouble();
        int sinceBest = reader.ReadInt32();
        double flipAxisOffset = version >= 2 ? reader.ReadDouble() : 0;
        double bestFlipAxisOffset = version >= 2 ? reader.ReadDouble() : 0;
        var stageStart = version >= 3 ? TimeSpan.FromTicks(reader.ReadInt64()) : unrecordedStageStart;
        var history = new List<EpochReport>();
        for (int i = reader.ReadInt32(); i > 0; i--)
        {
            history.Add(
                new EpochReport(
                    reader.ReadInt32(),
                    reader.ReadDouble(),
                    reader.ReadDouble(),
                    reader.ReadDouble(),
                    reader.ReadDouble(),
                    TimeSpan.FromTicks(reader.ReadInt64()),
                    reader.ReadBoolean()
                )
            );
        }
        return new TrainingStageState(stageStart, flipAxisOffset)
        {
            EpochsCompleted = epochs,
            BestRmse = bestRmse,
            EpochsSinceBest = sinceBest,
            BestFlipAxisOffset = bestFlipAxisOffset,
            History = history,
        };
    }

    private static void WriteBestWeights(BinaryWriter writer, Dictionary<string, Tensor>? bestWeights)
    {
        writer.Write(bestWeights is not null);
        if (bestWeights is null)
            return;
        writer.Write(bestWeights.Count);
        foreach (var (name, tensor) in bestWeights)
        {
            writer.Write(name);
            tensor.Save(writer);
        }
    }

    private static Dictionary<string, Tensor>? ReadBestWeights(BinaryReader reader)
    {
        if (!reader.ReadBoolean())
            return null;
        var best = new Dictionary<string, Tensor>();
        for (int i = reader.ReadInt32(); i > 0; i--)
            best[reader.ReadString()] = TensorExtensionMethods.Load(reader).DetachFromDisposeScope();
        return best;
    }

    private static void CheckFingerprint(string path, string stored, string fingerprint)
    {
        if (stored != fingerprint)
        {
            throw new InvalidOperationException(
                $"{path} was written by a different run ({stored}); this run is ({fingerprint}). Use another "
                    + $"checkpoint folder or the same options."
            );
        }
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
}
