using Keypoints.MLNet.Images;
using SkiaSharp;

namespace Keypoints.MLNet.Visualization;

/// <summary>Reads images and writes PNG files with SkiaSharp, the version ML.NET's ImageAnalytics loads images with
/// (3.x for ML.NET 6).</summary>
internal static class SkiaImageFile
{
    /// <summary>Decodes the image at <paramref name="path"/> once its header declares a size within <paramref
    /// name="limits"/>, in the pixel format SkiaSharp draws fastest (premultiplied).</summary>
    /// <param name="path">The image file.</param>
    /// <param name="limits">The largest image accepted; null for <see cref="ImageDecodeLimits.Default"/>.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, not an image SkiaSharp can decode, over the limits,
    /// truncated or corrupt.</exception>
    public static SKBitmap Decode(string path, ImageDecodeLimits? limits) =>
        GuardedImageDecoder.Decode(
            path,
            limits ?? ImageDecodeLimits.Default,
            SKImageInfo.PlatformColorType,
            SKAlphaType.Premul
        );

    /// <summary>A surface of <paramref name="width"/> by <paramref name="height"/> pixels, filled with <paramref
    /// name="background"/>.</summary>
    public static SKSurface CreateSurface(int width, int height, SKColor background)
    {
        var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {width}x{height} surface.");
        surface.Canvas.Clear(background);
        return surface;
    }

    /// <summary>zlib's level for pictures made of photos: 1, the fastest. Why:
    /// docs/decisions.md#png-level-for-photos.</summary>
    public const int PhotoCompression = 1;

    /// <summary>Encodes the surface's pixels as PNG to <paramref name="path"/>, creating its folder.</summary>
    /// <param name="surface">The pixels.</param>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="zlibLevel">1 (fastest) to 9 (smallest); libpng's default 6 for charts, <see
    /// cref="PhotoCompression"/> for photos.</param>
    public static void WritePng(SKSurface surface, string path, int zlibLevel = 6)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var snapshot = surface.Snapshot();
        using var pixels = snapshot.PeekPixels();
        using var png = pixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, zlibLevel))
            ?? throw new InvalidOperationException(
                $"SkiaSharp could not encode the {pixels.Width}x{pixels.Height} picture as PNG."
            );
        using var file = File.Create(path);
        png.SaveTo(file);
    }
}
