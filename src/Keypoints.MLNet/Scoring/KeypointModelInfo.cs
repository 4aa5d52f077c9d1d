using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Training;

namespace Keypoints.MLNet.Scoring;

/// <summary>
/// What a saved keypoint model records about itself, read without ONNX Runtime or TorchSharp: the keypoint
/// layout, the per-epoch training history, and the first convolution layer's kernels (for plots and reports).
/// </summary>
/// <remarks>
/// <c>mlContext.Model.Save</c> stores the model's <c>OnnxTransformer</c> as a zip entry named <c>OnnxModel</c>
/// (<c>TransformerChain/OnnxModel</c> for a single model, a deeper path inside a chain): a little-endian int32
/// byte count, then the ONNX model bytes. The keypoint graph is the ONNX model whose metadata has
/// <c>keypoints.layout</c>; see <see cref="KeypointGraphExporter"/> for its metadata and
/// <see cref="HistoryMetadata"/> for the history's format.
/// </remarks>
public sealed class KeypointModelInfo
{
    private const string OnnxEntryName = "OnnxModel";
    private const string LayoutKey = "keypoints.layout";
    private const string NamesKey = "keypoints.names";
    private const string ImageSizeKey = "keypoints.image_size";
    private static ReadOnlySpan<byte> ZipSignature => "PK\x03\x04"u8;

    private KeypointModelInfo(string layoutName, IReadOnlyList<string> keypointNames, int imageWidth, int imageHeight,
        IReadOnlyList<EpochReport> history, ConvolutionKernels? firstLayerKernels)
    {
        LayoutName = layoutName;
        KeypointNames = keypointNames;
        ImageWidth = imageWidth;
        ImageHeight = imageHeight;
        History = history;
        FirstLayerKernels = firstLayerKernels;
    }

    /// <summary>The name of the keypoint layout the model predicts, for example <c>Kaggle15</c>.</summary>
    public string LayoutName { get; }

    /// <summary>The keypoint names in output order; output <c>2i</c> is keypoint <c>i</c>'s x and <c>2i+1</c> its y.</summary>
    public IReadOnlyList<string> KeypointNames { get; }

    /// <summary>Width in pixels of the images the model takes, and of the coordinate frame of its predictions.</summary>
    public int ImageWidth { get; }

    /// <summary>Height in pixels of the images the model takes, and of the coordinate frame of its predictions.</summary>
    public int ImageHeight { get; }

    /// <summary>The training history, one report per epoch trained, in order.</summary>
    public IReadOnlyList<EpochReport> History { get; }

    /// <summary>The kernels of the first <c>Conv</c> node in graph order; null for a network without convolutions (the MLP).</summary>
    public ConvolutionKernels? FirstLayerKernels { get; }

    /// <summary>Reads a model zip saved by <c>mlContext.Model.Save</c>, or a bare <c>.onnx</c> file written by
    /// <see cref="KeypointCnnModel.ExportOnnx"/>.</summary>
    /// <param name="path">The model file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file holds no keypoint model, or the model records no training
    /// history (models saved before the history was stored in the graph); the message names the file.</exception>
    public static KeypointModelInfo Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        var bytes = File.ReadAllBytes(path);
        try
        {
            return FromGraph(path, bytes.AsSpan().StartsWith(ZipSignature) ? FindKeypointGraph(path, bytes) : ReadKeypointGraph(path, bytes));
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"'{path}': {e.Message}", e);
        }
    }

    private static OnnxModelReader FindKeypointGraph(string path, byte[] zipBytes)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes, writable: false), ZipArchiveMode.Read);
        var onnxEntries = zip.Entries.Where(e => e.Name == OnnxEntryName).ToArray();
        foreach (var entry in onnxEntries)
        {
            var model = new OnnxModelReader(ReadLengthPrefixed(path, entry));
            if (model.Metadata.ContainsKey(LayoutKey))
                return model;
        }
        throw new InvalidDataException(onnxEntries.Length == 0
            ? $"'{path}' holds no ONNX model (no '{OnnxEntryName}' entry), so it is not a keypoint model saved by mlContext.Model.Save."
            : $"'{path}' holds ONNX models, but none with '{LayoutKey}' metadata, so none is a keypoint model from this library.");
    }

    private static OnnxModelReader ReadKeypointGraph(string path, byte[] onnxBytes)
    {
        var model = new OnnxModelReader(onnxBytes);
        if (!model.Metadata.ContainsKey(LayoutKey))
            throw new InvalidDataException($"'{path}' is neither a model zip nor an ONNX model with '{LayoutKey}' metadata, so it is not a keypoint model.");
        return model;
    }

    // ML.NET's binary stream of an OnnxTransformer: an int32 byte count, then the ONNX model.
    private static ReadOnlyMemory<byte> ReadLengthPrefixed(string path, ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        var bytes = new byte[entry.Length];
        stream.ReadExactly(bytes);
        if (bytes.Length < sizeof(int) || BinaryPrimitives.ReadInt32LittleEndian(bytes) != bytes.Length - sizeof(int))
            throw new InvalidDataException($"'{path}' entry '{entry.FullName}' is not an int32 byte count followed by that many ONNX bytes.");
        return bytes.AsMemory(sizeof(int));
    }

    private static KeypointModelInfo FromGraph(string path, OnnxModelReader model)
    {
        var metadata = model.Metadata;
        if (!metadata.TryGetValue(HistoryMetadata.Key, out var historyText))
            throw new InvalidDataException($"'{path}' records no training history (no '{HistoryMetadata.Key}' metadata); " +
                "models saved before the history was stored in the graph have none. Train the model again to record it.");
        var size = Required(path, metadata, ImageSizeKey).Split(',');
        if (size.Length != 2
            || !int.TryParse(size[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var width)
            || !int.TryParse(size[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var height))
            throw new InvalidDataException($"'{path}' has '{ImageSizeKey}' = '{metadata[ImageSizeKey]}'; expected W,H in pixels.");
        return new KeypointModelInfo(metadata[LayoutKey], Required(path, metadata, NamesKey).Split(','), width, height,
            HistoryMetadata.Parse(historyText), FirstConvolution(path, model));
    }

    private static string Required(string path, IReadOnlyDictionary<string, string> metadata, string key) =>
        metadata.TryGetValue(key, out var value) ? value : throw new InvalidDataException($"'{path}' has no '{key}' metadata.");

    private static ConvolutionKernels? FirstConvolution(string path, OnnxModelReader model)
    {
        var conv = model.Nodes.FirstOrDefault(n => n.OpType == "Conv");
        if (conv.OpType is null)
            return null;
        if (conv.Inputs.Count < 2)
            throw new InvalidDataException($"'{path}': the first Conv node has no weight input.");
        var (dims, values) = model.ReadFloatInitializer(conv.Inputs[1])
            ?? throw new InvalidDataException($"'{path}': the first Conv node's weight '{conv.Inputs[1]}' is not an initializer.");
        if (dims.Length != 4)
            throw new InvalidDataException($"'{path}': the first Conv weight '{conv.Inputs[1]}' has shape [{string.Join(", ", dims)}]; expected [out, in, height, width].");
        return new ConvolutionKernels(values, checked((int)dims[0]), checked((int)dims[1]), checked((int)dims[2]), checked((int)dims[3]));
    }
}
