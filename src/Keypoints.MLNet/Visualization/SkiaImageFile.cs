using SkiaSharp;

namespace Keypoints.MLNet.Visualization;

/// <summary>Reads images and writes PNG files with SkiaSharp 2.88, the version ML.NET ImageAnalytics loads images with.</summary>
internal static class SkiaImageFile
{
    /// <summary>Decodes the image at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an image SkiaSharp can decode.</exception>
    public static SKBitmap Decode(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Image file '{path}' does not exist.", path);
        return SKBitmap.Decode(path) ?? throw new InvalidDataException($"Image file '{path}' is not an image that can be read (corrupt or unsupported format).");
    }

    /// <summary>A surface of <paramref name="width"/> by <paramref name="height"/> pixels, filled with <paramref name="background"/>.</summary>
    public static SKSurface CreateSurface(int width, int height, SKColor background)
    {
        var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"SkiaSharp could not create a {width}x{height} surface.");
        surface.Canvas.Clear(background);
        return surface;
    }

    /// <summary>Encodes the surface's pixels as PNG to <paramref name="path"/>, creating its folder.</summary>
    public static void WritePng(SKSurface surface, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var snapshot = surface.Snapshot();
        using var png = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }
}
