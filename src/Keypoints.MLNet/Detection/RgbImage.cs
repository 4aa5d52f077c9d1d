using System.Drawing;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Keypoints.MLNet.Images;
using Microsoft.ML.Data;

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

    /// <summary>Decodes an image file (JPEG, PNG, BMP, WebP, ... anything SkiaSharp reads, the decoder ML.NET's image
    /// loading uses) to RGB, dropping any alpha channel, once its header declares a size within <see
    /// cref="ImageDecodeLimits.Default"/>.</summary>
    /// <param name="path">The image file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, not an image SkiaSharp can decode, larger than the
    /// limits, truncated or corrupt; the message names it.</exception>
    public static RgbImage Load(string path) => Load(path, ImageDecodeLimits.Default);

    /// <summary>Decodes an image file as <see cref="Load(string)"/> does, refusing an image over <paramref
    /// name="limits"/> before decoding it.</summary>
    /// <param name="path">The image file.</param>
    /// <param name="limits">The largest image accepted.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, not an image SkiaSharp can decode, over <paramref
    /// name="limits"/> (the message names the file, its declared size and the limits), truncated or
    /// corrupt.</exception>
    public static RgbImage Load(string path, ImageDecodeLimits limits)
    {
        using var bitmap = GuardedImageDecoder.Decode(path, limits);
        return FromRgba(bitmap.Width, bitmap.Height, bitmap.GetPixelSpan());
    }

    /// <summary>The width and height of an encoded image held in memory (JPEG, PNG, ... as <see cref="Load(string)"/>),
    /// read from its header without decoding the pixels, so a caller can refuse an image too large to decode before it
    /// costs the memory.</summary>
    /// <param name="encoded">The image file's bytes.</param>
    /// <exception cref="InvalidDataException">The bytes are not an image SkiaSharp can read.</exception>
    public static Size ReadSize(ReadOnlySpan<byte> encoded)
    {
        var (width, height) = GuardedImageDecoder.ReadSize(encoded);
        return new Size(width, height);
    }

    /// <summary>Decodes an encoded image held in memory (JPEG, PNG, ... as <see cref="Load(string)"/>) to RGB, dropping
    /// any alpha channel, once its header declares a size within <see cref="ImageDecodeLimits.Default"/>.</summary>
    /// <param name="encoded">The image file's bytes.</param>
    /// <exception cref="InvalidDataException">The bytes are empty, not an image SkiaSharp can read, larger than the
    /// limits, or end before the image does.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded) => Decode(encoded, ImageDecodeLimits.Default);

    /// <summary>Decodes an encoded image held in memory as <see cref="Decode(ReadOnlySpan{byte})"/> does, refusing an
    /// image over <paramref name="limits"/> before decoding it.</summary>
    /// <param name="encoded">The image file's bytes.</param>
    /// <param name="limits">The largest image accepted.</param>
    /// <exception cref="InvalidDataException">The bytes are empty, not an image SkiaSharp can read, over <paramref
    /// name="limits"/>, truncated or corrupt.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded, ImageDecodeLimits limits)
    {
        using var bitmap = GuardedImageDecoder.Decode(encoded, limits);
        return FromRgba(bitmap.Width, bitmap.Height, bitmap.GetPixelSpan());
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

    /// <summary>Copies RGBA pixels (4 bytes per pixel, no row padding), dropping alpha: four pixels at a time by a
    /// byte shuffle, the last few one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static RgbImage FromRgba(int width, int height, ReadOnlySpan<byte> rgba)
    {
        byte[] rgb = new byte[width * height * 3];
        // Each step writes 16 bytes (4 pixels, and 4 bytes that the next step overwrites), so the steps stop short of
        // the end.
        int shuffled = Math.Max(0, ((width * height) - 2) / 4 * 4);
        var dropAlpha = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 255, 255, 255, 255);
        for (int pixel = 0; pixel < shuffled; pixel += 4)
            Vector128.Shuffle(Vector128.Create(rgba.Slice(pixel * 4, 16)), dropAlpha).CopyTo(rgb.AsSpan(pixel * 3));
        for (
            int pixel = shuffled, source = pixel * 4, target = pixel * 3;
            pixel < width * height;
            pixel++, source += 4, target += 3
        )
        {
            rgb[target] = rgba[source];
            rgb[target + 1] = rgba[source + 1];
            rgb[target + 2] = rgba[source + 2];
        }
        return new RgbImage(width, height, rgb);
    }
}
