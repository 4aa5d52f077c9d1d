using SkiaSharp;

namespace Keypoints.MLNet.Images;

/// <summary>Reads the size of an image file from its header, and optionally decodes all of it, so a missing, empty,
/// unreadable or truncated file fails with a message that names it before ML.NET's image loader meets it (which
/// decodes a truncated JPEG without complaint, filling the missing rows with grey).</summary>
internal static class ImageFileCheck
{
    /// <summary>The width and height in pixels of the image at <paramref name="path"/>, or the reason it cannot be
    /// read.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="decodePixels">Also decode the whole file, so that a file cut short or damaged after its header is
    /// caught; otherwise only the header is read. The decoding is done at the smallest scale the codec supports (1/8
    /// for JPEG, whose decoder then reads every coefficient but skips most of the inverse DCT and all of the colour
    /// conversion at full size), which finds a truncated file as surely as a full decode at a fraction of its
    /// cost.</param>
    public static (int Width, int Height, string? Problem) ReadSize(string path, bool decodePixels = false)
    {
        if (!File.Exists(path))
            return (0, 0, $"image file '{path}' does not exist.");
        if (new FileInfo(path).Length == 0)
            return (0, 0, $"image file '{path}' is empty.");
        using var codec = SKCodec.Create(path, out var result);
        if (codec is null)
        {
            return (
                0,
                0,
                $"image file '{path}' is not an image that can be read (corrupt or unsupported format: {result})."
            );
        }

        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0)
            return (0, 0, $"image file '{path}' has no pixels.");
        if (decodePixels && DecodeSmallest(codec) is var decoded && decoded != SKCodecResult.Success)
            return (0, 0, $"image file '{path}' cannot be decoded completely ({decoded}): it is truncated or corrupt.");
        return (info.Width, info.Height, null);
    }

    /// <summary>The size of the image at <paramref name="path"/>, after checking that the whole file decodes.</summary>
    /// <exception cref="InvalidDataException">The file is missing, empty, corrupt, truncated or in a format that cannot
    /// be read; the message names it.</exception>
    public static (int Width, int Height) RequireSize(string path)
    {
        var (width, height, problem) = ReadSize(path, decodePixels: true);
        return problem is null
            ? (width, height)
            : throw new InvalidDataException(char.ToUpperInvariant(problem[0]) + problem[1..]);
    }

    private static SKCodecResult DecodeSmallest(SKCodec codec)
    {
        var size = codec.GetScaledDimensions(1f / 8);
        var info = codec.Info.WithSize(size.Width, size.Height);
        using var bitmap = new SKBitmap(info);
        return codec.GetPixels(info, bitmap.GetPixels());
    }
}
