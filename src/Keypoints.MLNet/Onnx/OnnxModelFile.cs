namespace Keypoints.MLNet.Onnx;

/// <summary>
/// An ONNX graph written to a private temporary file, because ML.NET's ONNX transformer loads
/// models from a path and reads the file again when the model is saved. Deleted on dispose.
/// </summary>
internal sealed class OnnxModelFile : IDisposable
{
    /// <summary>Writes <paramref name="modelBytes"/> to a new file under the temp folder.</summary>
    public OnnxModelFile(byte[] modelBytes)
    {
        var folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "Keypoints.MLNet");
        Directory.CreateDirectory(folder);
        Path = System.IO.Path.Combine(folder, Guid.NewGuid().ToString("N") + ".onnx");
        File.WriteAllBytes(Path, modelBytes);
    }

    /// <summary>Where the graph is.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Still open elsewhere (Windows): the temp folder is the OS's to clean.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
