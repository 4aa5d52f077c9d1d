using SkiaSharp;

namespace Keypoints.MLNet.Images;

/// <summary>Reads the size of an image file from its header, so a missing, empty or unreadable file fails
/// with a message that names it before ML.NET's image loader meets it.</summary>
internal static class ImageFileCheck
{
    /// <summary>The width and height in pixels of the image at <paramref name="path"/>, or the reason it cannot be read.</summary>
    public static (int Width, int Height, string? Problem) ReadSize(string path)
    {
        if (!File.Exists(path))
            return (0, 0, $"image file '{path}' does not exist.");
        using var codec = SKCodec.Create(path, out var result);
        if (codec is null)
            return (0, 0, $"image file '{path}' is not an image that can be read (corrupt or unsupported format: {result}).");
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
            return (0, 0, $"image file '{path}' has no pixels.");
        return (info.Width, info.Height, null);
    }

    /// <summary>The size of the image at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is missing, corrupt or in a format that cannot be read.</exception>
    public static (int Width, int Height) RequireSize(string path)
    {
        var (width, height, problem) = ReadSize(path);
        return problem is null ? (width, height) : throw new InvalidDataException(char.ToUpperInvariant(problem[0]) + problem[1..]);
    }
}
