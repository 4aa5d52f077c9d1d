using SkiaSharp;

namespace Keypoints.MLNet.Tests.Photos;

/// <summary>
/// Photos made from the repository's public-domain portrait (<c>samples/astronaut.jpg</c>), so photo tests need no data
/// set: scenes of 640 x 480 with two or three copies of the head at different sizes, and small portrait frames of the
/// head alone. Written once per test process as JPEG files.
/// </summary>
internal static class SamplePhotos
{
    // The head and shoulders around the face in the 512 x 512 portrait (the face's box is about 172-278 by 72-178).
    private static readonly SKRectI Head = SKRectI.Create(130, 20, 190, 230);

    private static readonly Lazy<string> Folder = new(() =>
        Directory.CreateTempSubdirectory("keypoints-sample-photos-").FullName
    );
    private static readonly Lazy<string[]> ScenesOnce = new(WriteScenes);
    private static readonly Lazy<string[]> FramesOnce = new(WriteFrames);

    /// <summary>The portrait itself: one face.</summary>
    public static string Portrait => Path.Combine(SharedData.RepositoryRoot, "samples", "astronaut.jpg");

    /// <summary>Three 640 x 480 scenes of two or three faces each.</summary>
    public static string[] Scenes => ScenesOnce.Value;

    /// <summary>Four portrait frames of one face, 90 to 300 pixels wide, taller than wide.</summary>
    public static string[] Frames => FramesOnce.Value;

    private static string[] WriteScenes()
    {
        (float X, float Y, float Scale)[][] layouts =
        [
            [(20, 60, 1.0f), (330, 120, 0.8f)],
            [(10, 20, 0.7f), (220, 150, 0.9f), (470, 60, 0.6f)],
            [(60, 30, 1.2f), (400, 200, 0.75f)],
        ];
        using var portrait = Decode();
        return [.. layouts.Select((heads, i) => Write($"scene{i}.jpg", 640, 480, canvas =>
                    {
                        canvas.Clear(new SKColor((byte)(60 + (40 * i)), 90, 120));
                        foreach (var (x, y, scale) in heads)
                        {
                            canvas.DrawBitmap(
                                portrait,
                                Head,
                                SKRect.Create(x, y, Head.Width * scale, Head.Height * scale)
                            );
                        }
                    }))];
    }

    private static string[] WriteFrames()
    {
        using var portrait = Decode();
        return
        [
            .. new[] { 90, 140, 200, 300 }.Select(width =>
            {
                int height = width * Head.Height / Head.Width;
                return Write($"frame{width}.jpg", width, height, canvas =>
                    canvas.DrawBitmap(portrait, Head, SKRect.Create(width, height))
                );
            }),
        ];
    }

    private static SKBitmap Decode() =>
        SKBitmap.Decode(Portrait)
        ?? throw new InvalidDataException($"{Portrait} is not an image SkiaSharp can decode.");

    private static string Write(string name, int width, int height, Action<SKCanvas> draw)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
            draw(canvas);
        string path = Path.Combine(Folder.Value, name);
        using var image = SKImage.FromBitmap(bitmap);
        using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 92);
        File.WriteAllBytes(path, jpeg.ToArray());
        return path;
    }
}
