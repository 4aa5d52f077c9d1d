using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace Keypoints.Samples.Commands;

/// <summary><c>info</c>: prints what a saved model records about itself as one JSON object (<see cref="ModelDescription"/>).</summary>
/// <remarks>Until the library gives a typed model back from a file with all of its metadata, this reads the layout, size and
/// history with <see cref="KeypointModelInfo"/> and the other keys from the keypoint graph's metadata properties.</remarks>
internal sealed class InfoCommand : Command
{
    private const string OnnxEntryName = "OnnxModel";
    private const string LayoutKey = "keypoints.layout";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly Option<string> model = new("--model") { Description = "A model zip saved by train, or an exported .onnx", HelpName = "model.zip|model.onnx", Required = true };

    public InfoCommand()
        : base("info", "Print the model's metadata (layout, flip pairs, groups, input, test-time flip, flip axis, history) as one JSON object")
    {
        Options.Add(model);
        SetAction(result => Run(result.GetRequiredValue(model)));
    }

    private static int Run(string modelPath)
    {
        Console.WriteLine(JsonSerializer.Serialize(Describe(modelPath), Json));
        return 0;
    }

    /// <summary>What <c>keypoints info</c> prints, in the order printed. Lengths in pixels of the network's input frame.</summary>
    /// <param name="Layout">The keypoint layout's name, for example <c>Kaggle15</c>.</param>
    /// <param name="Keypoints">Keypoint names in output order (outputs <c>2i</c>, <c>2i+1</c> are keypoint <c>i</c>'s x, y).</param>
    /// <param name="FlipPairs">Left and right keypoint names that swap when the face is mirrored.</param>
    /// <param name="Groups">Named keypoint groups (the specialists' groups).</param>
    /// <param name="InputWidth">Width in pixels of the network's input.</param>
    /// <param name="InputHeight">Height in pixels of the network's input.</param>
    /// <param name="Channels">1 for grey, 3 for color.</param>
    /// <param name="Framing">How the training faces were framed; null where the model does not record it.</param>
    /// <param name="TestTimeFlip">Whether the graph averages each prediction with that of the mirrored face.</param>
    /// <param name="FlipAxisOffset">Pixels between the labels' mirror axis and the image's center line.</param>
    /// <param name="Networks">The networks in the graph: the base network, then any specialists.</param>
    /// <param name="Epochs">Epochs the base network trained.</param>
    /// <param name="BestValidationRmse">The lowest validation RMSE of the base network's epochs, in pixels; null without validation.</param>
    /// <param name="LibraryVersion">The version of Keypoints.MLNet that wrote the model; null where the model does not record it.</param>
    internal sealed record ModelDescription(
        string Layout,
        IReadOnlyList<string> Keypoints,
        IReadOnlyList<string[]> FlipPairs,
        IReadOnlyList<GroupDescription> Groups,
        int InputWidth,
        int InputHeight,
        int Channels,
        object? Framing,
        bool TestTimeFlip,
        double FlipAxisOffset,
        IReadOnlyList<string> Networks,
        int Epochs,
        double? BestValidationRmse,
        string? LibraryVersion);

    /// <summary>A keypoint group by name, with its keypoints' names.</summary>
    internal sealed record GroupDescription(string Name, IReadOnlyList<string> Keypoints);

    private static ModelDescription Describe(string path)
    {
        var info = KeypointModelInfo.Load(path);
        var metadata = GraphMetadata(path);
        var layout = Layout(info);
        var names = info.KeypointNames;
        var validated = info.History.Where(h => !double.IsNaN(h.ValidationRmse)).ToArray();
        return new ModelDescription(
            info.LayoutName,
            names,
            layout.FlipPairs.Select(p => new[] { names[p.Left], names[p.Right] }).ToArray(),
            layout.Groups.Select(g => new GroupDescription(g.Name, g.KeypointIndices.Select(i => names[i]).ToArray())).ToArray(),
            info.ImageWidth,
            info.ImageHeight,
            int.Parse(Required(path, metadata, "keypoints.channels"), CultureInfo.InvariantCulture),
            null,
            bool.Parse(Required(path, metadata, "keypoints.test_time_flip")),
            double.Parse(Required(path, metadata, "keypoints.flip_axis_offset"), CultureInfo.InvariantCulture),
            Required(path, metadata, "keypoints.networks").Split(','),
            info.History.Count,
            validated.Length == 0 ? null : validated.Min(h => h.ValidationRmse),
            metadata.GetValueOrDefault("keypoints.library_version"));
    }

    // A key that is missing fails rather than defaulting: `info` must never print a value the model does not hold.
    private static string Required(string path, IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"'{path}' has no '{key}' metadata.");

    /// <summary>The model's layout: a built-in one with the same keypoint names, else the flip pairs that the names
    /// imply (left/right) and no groups, as the loaders infer them.</summary>
    private static KeypointLayout Layout(KeypointModelInfo info)
    {
        foreach (var known in new[] { KeypointLayout.Kaggle15, KeypointLayout.Ibug68 })
        {
            if (known.KeypointNames.SequenceEqual(info.KeypointNames, StringComparer.Ordinal))
                return known;
        }
        return KeypointLayout.FromCoordinateColumns(info.LayoutName,
            info.KeypointNames.SelectMany(n => new[] { n + "_x", n + "_y" }).ToArray(), info.ImageWidth, info.ImageHeight);
    }

    /// <summary>The metadata properties of the model's keypoint graph: the bare .onnx file, or in a zip saved by
    /// <c>mlContext.Model.Save</c> the <c>OnnxModel</c> entry (an int32 byte count, then the ONNX bytes) whose graph has
    /// <c>keypoints.layout</c>. <see cref="KeypointModelInfo.Load"/> has already checked that one exists.</summary>
    private static IReadOnlyDictionary<string, string> GraphMetadata(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!bytes.AsSpan().StartsWith("PK\x03\x04"u8))
            return Metadata(bytes);
        using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
        foreach (var entry in zip.Entries.Where(e => e.Name == OnnxEntryName))
        {
            using var stream = entry.Open();
            var onnx = new byte[entry.Length];
            stream.ReadExactly(onnx);
            if (onnx.Length > sizeof(int) && BinaryPrimitives.ReadInt32LittleEndian(onnx) == onnx.Length - sizeof(int)
                && Metadata(onnx[sizeof(int)..]) is var metadata && metadata.ContainsKey(LayoutKey))
                return metadata;
        }
        throw new InvalidDataException($"'{path}' holds no ONNX model with '{LayoutKey}' metadata.");
    }

    private static Dictionary<string, string> Metadata(byte[] onnx)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(onnx, options);
        return new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap, StringComparer.Ordinal);
    }
}
