using SkiaSharp;

namespace Keypoints.MLNet.Images;

/// <summary>The one way this library decodes an image a user hands it (a file or bytes): the format and size are read
/// from the header first, an image over the <see cref="ImageDecodeLimits"/> is refused before any pixel is decoded,
/// and only then is it decoded, by SkiaSharp (JPEG, PNG, GIF, BMP, WebP, ...: the decoder of ML.NET's image loading).
/// An image whose data ends before its last pixel, or is damaged after a valid header, is refused rather than
/// completed with the decoder's fill. Every refusal is an <see cref="InvalidDataException"/> whose message names the
/// image (a missing file is a <see cref="FileNotFoundException"/>).</summary>
internal static class GuardedImageDecoder
{
    private const string MemorySource = "The data";

    /// <summary>Decodes the image file at <paramref name="path"/>.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="limits">The largest image accepted.</param>
    /// <param name="colorType">The pixel format of the result.</param>
    /// <param name="alphaType">How the result stores alpha.</param>
    /// <returns>The pixels, without colour-space conversion; the caller disposes them.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, not an image, over the limits, truncated or
    /// corrupt.</exception>
    public static SKBitmap Decode(
        string path,
        ImageDecodeLimits limits,
        SKColorType colorType = SKColorType.Rgba8888,
        SKAlphaType alphaType = SKAlphaType.Unpremul
    )
    {
        string source = FileSource(path);
        using var codec = OpenFile(path, source, limits);
        return DecodeAt(codec, source, new SKImageInfo(codec.Info.Width, codec.Info.Height, colorType, alphaType));
    }

    /// <summary>Decodes an image held in memory to RGBA (unpremultiplied).</summary>
    /// <param name="encoded">The image file's bytes.</param>
    /// <param name="limits">The largest image accepted.</param>
    /// <exception cref="InvalidDataException">The bytes are empty, not an image, over the limits, truncated or
    /// corrupt.</exception>
    public static SKBitmap Decode(ReadOnlySpan<byte> encoded, ImageDecodeLimits limits)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = OpenData(data, limits);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        return DecodeAt(codec, MemorySource, info);
    }

    /// <summary>The width and height an image held in memory declares, read from its header without decoding (no
    /// limits apply).</summary>
    /// <exception cref="InvalidDataException">The bytes are empty or not an image.</exception>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = OpenData(data, limits: null);
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Checks that the whole image file decodes, and returns its width and height. The decoding is done at the
    /// smallest scale the codec supports (1/8 for JPEG, whose decoder then reads every coefficient but skips most of
    /// the inverse DCT and all of the colour conversion at full size), which finds a truncated file as surely as a full
    /// decode at a fraction of its cost.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="limits">The largest image accepted.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">As <see cref="Decode(string, ImageDecodeLimits, SKColorType,
    /// SKAlphaType)"/>.</exception>
    public static (int Width, int Height) Verify(string path, ImageDecodeLimits limits)
    {
        string source = FileSource(path);
        using var codec = OpenFile(path, source, limits);
        var smallest = codec.GetScaledDimensions(1f / 8);
        using var bitmap = DecodeAt(codec, source, codec.Info.WithSize(smallest.Width, smallest.Height));
        return (codec.Info.Width, codec.Info.Height);
    }

    private static string FileSource(string path) => $"Image file '{path}'";

    private static SKCodec OpenFile(string path, string source, ImageDecodeLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(limits);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{source} does not exist.", path);
        if (new FileInfo(path).Length == 0)
            throw new InvalidDataException($"{source} is empty.");
        var codec = SKCodec.Create(path, out var result)
            ?? throw new InvalidDataException(
                $"{source} is not an image that can be read (corrupt or unsupported format: {result})."
            );
        return Checked(codec, source, limits);
    }

    private static SKCodec OpenData(SKData data, ImageDecodeLimits? limits)
    {
        if (data.Size == 0)
            throw new InvalidDataException($"{MemorySource} is empty.");
        var codec = SKCodec.Create(data)
            ?? throw new InvalidDataException(
                $"{MemorySource} is not an image that can be read ({data.Size} bytes of an unsupported format or "
                    + $"corrupt data; JPEG, PNG, BMP, WebP, ...)."
            );
        return Checked(codec, MemorySource, limits);
    }

    /// <summary>The codec, once its header declares a size within <paramref name="limits"/> (any size when
    /// null).</summary>
    private static SKCodec Checked(SKCodec codec, string source, ImageDecodeLimits? limits)
    {
        try
        {
            var info = codec.Info;
            if (info.Width <= 0 || info.Height <= 0)
                throw new InvalidDataException($"{source} has no pixels ({info.Width} x {info.Height}).");
            limits?.Check(source, info.Width, info.Height);
            return codec;
        }
        catch
        {
            codec.Dispose();
            throw;
        }
    }

    /// <summary>Decodes the whole image into a new bitmap of <paramref name="info"/> (the codec's size or a scale it
    /// supports).</summary>
    private static SKBitmap DecodeAt(SKCodec codec, string source, SKImageInfo info)
    {
        var bitmap = new SKBitmap();
        try
        {
            if (!bitmap.TryAllocPixels(info))
            {
                throw new InvalidOperationException(
                    $"{source}: {info.Width} x {info.Height} pixels do not fit in memory."
                );
            }

            var result = codec.GetPixels(info, bitmap.GetPixels());
            if (result != SKCodecResult.Success)
            {
                throw new InvalidDataException(
                    $"{source} cannot be decoded completely ({result}): the {codec.Info.Width} x {codec.Info.Height} "
                        + $"image is {(result == SKCodecResult.IncompleteInput ? "truncated" : "corrupt")}."
                );
            }

            return bitmap;
        }
        catch
        {
            bitmap.Dispose();
            throw;
        }
    }
}
