using System.Drawing;
using Microsoft.ML.Data;
using SkiaSharp;

namespace Keypoints.MLNet.Detection;

/// <summary>An image as 8-bit RGB pixels, interleaved row by row (R, G, B of the top-left pixel first), with no row
/// padding: the simplest input the <see cref="FaceDetector"/> takes.</summary>
public sealed class RgbImage
{
    /// <summary>Wraps existing pixels; the array is used as it is, not copied.</summary>
    /// <param name="width">Width in pixels, at least 1.</param>
    /// <param name="height">Height in pixels, at least 1.</param>
    /// <param name="pixels">Exactly <c>width * height * 3</c> bytes: R, G, B per pixel, rows top to bottom.</param>
    /// <exception cref="ArgumentException">The size is not positive or the array has the wrong length.</exception>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width < 1 || height < 1)
            throw new ArgumentException($"An image needs at least one pixel; got {width} x {height}.", nameof(width));
        if (pixels.LongLength != (long)width * height * 3)
        {
            throw new ArgumentException(
                $"A {width} x {height} RGB image has {(long)width * height * 3} bytes; got {pixels.LongLength}.",
                nameof(pixels)
            );
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels: R, G, B bytes per pixel, row by row from the top, <c>Width * Height * 3</c>
    /// bytes.</summary>
    // The buffer is the point of this type: callers fill it and the detector reads it without a copy.
#pragma warning disable CA1819
    public byte[] Pixels { get; }
#pragma warning restore CA1819

    /// <summary>Decodes an image file (JPEG, PNG, BMP, WebP, ... anything SkiaSharp 2.88 reads, the decoder ML.NET's
    /// image loading uses) to RGB, dropping any alpha channel.</summary>
    /// <param name="path">The image file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an image SkiaSharp can decode.</exception>
    public static RgbImage Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        using var codec = SKCodec.Create(path, out var result)
            ?? throw new InvalidDataException($"Image file '{path}' is not an image that can be read ({result}).");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            throw new InvalidDataException($"Image file '{path}' cannot be decoded ({decoded}).");
        return FromRgba(info.Width, info.Height, bitmap.GetPixelSpan());
    }

    /// <summary>The width and height of an encoded image held in memory (JPEG, PNG, ... as <see cref="Load"/>), read
    /// from its header without decoding the pixels, so a caller can refuse an image too large to decode before it costs
    /// the memory.</summary>
    /// <param name="encoded">The image file's bytes.</param>
    /// <exception cref="InvalidDataException">The bytes are not an image SkiaSharp can read.</exception>
    public static Size ReadSize(ReadOnlySpan<byte> encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = OpenCodec(data);
        return new Size(codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Decodes an encoded image held in memory (JPEG, PNG, ... as <see cref="Load"/>) to RGB, dropping any
    /// alpha channel. Stricter than <see cref="Load"/>: an image whose data ends before its last pixel (a truncated
    /// upload) is refused rather than completed with the decoder's fill.</summary>
    /// <param name="encoded">The image file's bytes.</param>
    /// <exception cref="InvalidDataException">The bytes are empty, not an image SkiaSharp can read, or end before the
    /// image does.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded)
    {
        using var data = SKData.CreateCopy(encoded);
        using var codec = OpenCodec(data);
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var decoded = codec.GetPixels(info, bitmap.GetPixels());
        if (decoded != SKCodecResult.Success)
        {
            throw new InvalidDataException(
                decoded == SKCodecResult.IncompleteInput
                    ? $"The {info.Width} x {info.Height} image ends before its last pixel (a truncated file)."
                    : $"The {info.Width} x {info.Height} image cannot be decoded ({decoded})."
            );
        }

        return FromRgba(info.Width, info.Height, bitmap.GetPixelSpan());
    }

    private static SKCodec OpenCodec(SKData data)
    {
        if (data.Size == 0)
            throw new InvalidDataException("The image is empty (0 bytes).");
        return SKCodec.Create(data)
            ?? throw new InvalidDataException(
                $"The {data.Size} bytes are not an image that can be read (JPEG, PNG, BMP, WebP, ...)."
            );
    }

    /// <summary>Copies the pixels of an image loaded by ML.NET (<c>mlContext.Transforms.LoadImages</c>, or
    /// <see cref="MLImage.CreateFromFile(string)"/>) to RGB, dropping alpha.</summary>
    /// <exception cref="ArgumentException">The image's pixel format is neither BGRA nor RGBA.</exception>
    public static RgbImage FromMLImage(MLImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pixels = image.Pixels;
        return image.PixelFormat switch
        {
            MLPixelFormat.Rgba32 => FromRgba(image.Width, image.Height, pixels),
            MLPixelFormat.Bgra32 => FromBgra(image.Width, image.Height, pixels),
            _ => throw new ArgumentException(
                $"An MLImage in pixel format {image.PixelFormat} cannot be read; expected Bgra32 or Rgba32.",
                nameof(image)
            ),
        };
    }

    private static RgbImage FromBgra(int width, int height, ReadOnlySpan<byte> bgra)
    {
        byte[] rgb = new byte[width * height * 3];
        for (int pixel = 0, source = 0, target = 0; pixel < width * height; pixel++, source += 4, target += 3)
        {
            rgb[target] = bgra[source + 2];
            rgb[target + 1] = bgra[source + 1];
            rgb[target + 2] = bgra[source];
        }
        return new RgbImage(width, height, rgb);
    }

    /// <summary>Copies RGBA pixels (4 bytes per pixel, no row padding), dropping alpha.</summary>
    internal static RgbImage FromRgba(int width, int height, ReadOnlySpan<byte> rgba)
    {
        byte[] rgb = new byte[width * height * 3];
        for (int pixel = 0, source = 0, target = 0; pixel < width * height; pixel++, source += 4, target += 3)
        {
            rgb[target] = rgba[source];
            rgb[target + 1] = rgba[source + 1];
            rgb[target + 2] = rgba[source + 2];
        }
        return new RgbImage(width, height, rgb);
    }
}
