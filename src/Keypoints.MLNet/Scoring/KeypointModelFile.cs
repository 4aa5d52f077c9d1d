using System.Buffers.Binary;
using System.IO.Compression;
using Keypoints.MLNet.Export;
using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Scoring;

/// <summary>
/// Finds the keypoint graph in a model file: a zip saved by <c>mlContext.Model.Save</c>, or a bare <c>.onnx</c> file.
/// </summary>
/// <remarks>
/// <c>mlContext.Model.Save</c> stores every <c>OnnxTransformer</c> as a zip entry named <c>OnnxModel</c>
/// (<c>TransformerChain/OnnxModel</c> for a single model, a deeper path inside a chain): a little-endian int32 byte
/// count, then the ONNX model bytes. The keypoint graph is the one whose metadata has <see
/// cref="KeypointModelMetadata.Key"/> (or, in a 0.1.0 model, <c>keypoints.layout</c>, which is refused with a message
/// that names that version).
/// </remarks>
internal sealed class KeypointModelFile
{
    private const string OnnxEntryName = "OnnxModel";
    private static ReadOnlySpan<byte> ZipSignature => "PK\x03\x04"u8;

    private KeypointModelFile(byte[] graph, OnnxModelReader reader, KeypointModelMetadata metadata)
    {
        Graph = graph;
        Reader = reader;
        Metadata = metadata;
    }

    /// <summary>The keypoint graph's bytes.</summary>
    public byte[] Graph { get; }

    /// <summary>The graph's structure (nodes, initializers).</summary>
    public OnnxModelReader Reader { get; }

    /// <summary>The graph's metadata record.</summary>
    public KeypointModelMetadata Metadata { get; }

    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, truncated, neither a zip nor an ONNX model, holds no
    /// keypoint graph, or one from a version this library does not read; one line that names the file.</exception>
    public static KeypointModelFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a model file's <paramref name="bytes"/>, which came from <paramref name="path"/> (a file, or
    /// where the caller found them, named in every message).</summary>
    /// <exception cref="InvalidDataException">As <see cref="Read(string)"/>.</exception>
    public static KeypointModelFile Read(byte[] bytes, string path)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (bytes.Length == 0)
            throw new InvalidDataException($"Model file '{path}' is empty.");
        try
        {
            var (graph, reader) = bytes.AsSpan().StartsWith(ZipSignature)
                ? FindInZip(path, bytes)
                : ReadBareGraph(path, bytes);
            return new KeypointModelFile(graph, reader, KeypointModelMetadata.FromGraphMetadata(reader.Metadata, path));
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"Model file '{path}': {e.Message}", e);
        }
    }

    private static (byte[] Graph, OnnxModelReader Reader) FindInZip(string path, byte[] zipBytes)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(new MemoryStream(zipBytes, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"Model file '{path}' starts like a zip but cannot be read as one (truncated or damaged): {e.Message}",
                e
            );
        }
        using (zip)
        {
            var onnxEntries = zip.Entries.Where(e => e.Name == OnnxEntryName).ToArray();
            foreach (var entry in onnxEntries)
            {
                byte[] graph = ReadLengthPrefixed(path, entry);
                var reader = new OnnxModelReader(graph);
                if (
                    reader.Metadata.ContainsKey(KeypointModelMetadata.Key)
                    || reader.Metadata.ContainsKey(KeypointModelMetadata.LegacyLayoutKey)
                )
                {
                    return (graph, reader);
                }
            }
            throw new InvalidDataException(
                onnxEntries.Length == 0
                    ? $"Model file '{path}' holds no ONNX model (no '{OnnxEntryName}' entry), so it is not a keypoint "
                        + $"model saved by mlContext.Model.Save."
                    : $"Model file '{path}' holds ONNX models, but none with '{KeypointModelMetadata.Key}' metadata, "
                        + $"so none is a keypoint model from this library."
            );
        }
    }

    private static (byte[] Graph, OnnxModelReader Reader) ReadBareGraph(string path, byte[] bytes)
    {
        OnnxModelReader reader;
        try
        {
            reader = new OnnxModelReader(bytes);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"Model file '{path}' is neither a model zip nor an ONNX model (truncated, or another kind of file): "
                    + $"{e.Message}",
                e
            );
        }
        if (
            !reader.Metadata.ContainsKey(KeypointModelMetadata.Key)
            && !reader.Metadata.ContainsKey(KeypointModelMetadata.LegacyLayoutKey)
        )
        {
            throw new InvalidDataException(
                $"Model file '{path}' is neither a model zip nor an ONNX model with '{KeypointModelMetadata.Key}' "
                    + $"metadata, so it is not a keypoint model."
            );
        }

        return (bytes, reader);
    }

    // ML.NET's binary stream of an OnnxTransformer: an int32 byte count, then the ONNX model.
    private static byte[] ReadLengthPrefixed(string path, ZipArchiveEntry entry)
    {
        byte[] bytes;
        try
        {
            using var stream = entry.Open();
            bytes = new byte[entry.Length];
            stream.ReadExactly(bytes);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException(
                $"Model file '{path}' entry '{entry.FullName}' cannot be read (truncated or damaged zip): {e.Message}",
                e
            );
        }
        if (bytes.Length < sizeof(int) || BinaryPrimitives.ReadInt32LittleEndian(bytes) != bytes.Length - sizeof(int))
        {
            throw new InvalidDataException(
                $"Model file '{path}' entry '{entry.FullName}' is not an int32 byte count followed by that many ONNX "
                    + $"bytes."
            );
        }

        return bytes[sizeof(int)..];
    }
}
