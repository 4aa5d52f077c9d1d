using System.Text;
using SkiaSharp;

namespace Keypoints.MLNet.Tests.Images;

/// <summary>A fuzz corpus of image files, written to a temporary folder (a class fixture; deleted on dispose), made
/// from <c>samples/astronaut.jpg</c> (a 512 x 512 baseline JPEG) and a 128 x 128 PNG drawn from it: the two valid
/// files; bombs (headers declaring sizes far over the default limits, with the data of the small picture); lying
/// headers within the limits; truncations at every JPEG segment boundary, through the JPEG's scan and at every PNG
/// chunk boundary; <see cref="Mutations"/> copies with random bytes overwritten (seeded; PNG chunk CRCs fixed after);
/// empty, text and header-only files.</summary>
public sealed class HostileImageFiles : IDisposable
{
    /// <summary>How many randomly mutated copies the corpus holds.</summary>
    public const int Mutations = 300;

    private readonly TempFolder folder = new();
    private readonly List<Entry> entries = [];

    /// <summary>Writes the corpus.</summary>
    public HostileImageFiles()
    {
        byte[] jpeg = File.ReadAllBytes(Astronaut);
        byte[] png = DrawnPng(jpeg);
        Add("valid.jpg", Kind.Valid, jpeg);
        Add("valid.png", Kind.Valid, png);
        AddBombs(jpeg, png);
        Add("lying-4000x3000.jpg", Kind.Other, CraftedImages.WithJpegSize(jpeg, 4000, 3000));
        Add("lying-100x100.jpg", Kind.Other, CraftedImages.WithJpegSize(jpeg, 100, 100));
        Add("lying-4000x3000.png", Kind.Other, CraftedImages.WithPngSize(png, 4000, 3000));
        Add("lying-64x64.png", Kind.Other, CraftedImages.WithPngSize(png, 64, 64));
        Add("lying-0x0.png", Kind.Other, CraftedImages.WithPngSize(png, 0, 0));
        AddTruncations(jpeg, png);
        AddMutations(jpeg, png);
        Add("empty.jpg", Kind.Other, []);
        Add("text.jpg", Kind.Other, Encoding.ASCII.GetBytes("this is not an image\n"));
        Add("page.png", Kind.Other, Encoding.ASCII.GetBytes("<!DOCTYPE html><html><body>404</body></html>"));
        Add("signature-only.png", Kind.Other, png[..8]);
        Add("gif-65535x65535.gif", Kind.Other, [.. "GIF89a"u8, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, (byte)';']);
    }

    /// <summary>What a file must give.</summary>
    public enum Kind
    {
        /// <summary>A valid picture: it must score.</summary>
        Valid,

        /// <summary>A header over the default limits: it must be refused before decoding, naming its size.</summary>
        Bomb,

        /// <summary>Anything else: it scores or is refused with a clear error.</summary>
        Other,
    }

    /// <summary>Every file of the corpus.</summary>
    public IReadOnlyList<Entry> Files => entries;

    /// <summary>The corpus's folder.</summary>
    public string Folder => folder.Folder;

    private static string Astronaut => Path.Combine(SharedData.RepositoryRoot, "samples", "astronaut.jpg");

    /// <summary>The file named <paramref name="name"/>.</summary>
    public Entry this[string name] => entries.Single(e => e.Name == name);

    public void Dispose() => folder.Dispose();

    private void AddBombs(byte[] jpeg, byte[] png)
    {
        foreach (var (width, height) in new[] { (20000, 20000), (65000, 65000), (16385, 16), (8001, 8000) })
            Add($"bomb-{width}x{height}.png", Kind.Bomb, CraftedImages.WithPngSize(png, (uint)width, (uint)height));
        foreach (var (width, height) in new[] { (65000, 65000), (20000, 20000), (9000, 9000) })
            Add($"bomb-{width}x{height}.jpg", Kind.Bomb, CraftedImages.WithJpegSize(jpeg, width, height));
        // libjpeg itself refuses sides over 65500 pixels, before the limits are read.
        Add("over-libjpeg-65535x65535.jpg", Kind.Other, CraftedImages.WithJpegSize(jpeg, 65535, 65535));
    }

    private void AddTruncations(byte[] jpeg, byte[] png)
    {
        var cuts = CraftedImages.JpegSegmentStarts(jpeg).ToList();
        int scan = cuts[^2];
        for (int step = 1; step < 8; step++)
            cuts.Add(scan + ((jpeg.Length - scan) * step / 8));
        foreach (int cut in cuts.Distinct().Where(c => c > 0))
            Add($"truncated-at-{cut}.jpg", Kind.Other, jpeg[..cut]);
        foreach (int cut in CraftedImages.PngChunkStarts(png).Concat([12, 20, png.Length - 1]).Distinct())
            Add($"truncated-at-{cut}.png", Kind.Other, png[..cut]);
        Add("truncated-half.jpg", Kind.Other, jpeg[..(jpeg.Length / 2)]);
    }

    private void AddMutations(byte[] jpeg, byte[] png)
    {
        var random = new Random(24);
        for (int i = 0; i < Mutations; i++)
        {
            bool isJpeg = i % 2 == 0;
            byte[] bytes = (byte[])(isJpeg ? jpeg : png).Clone();
            int count = 1 + random.Next(8);
            for (int m = 0; m < count; m++)
            {
                // Half the edits fall in the first kilobyte, where the headers and tables lie.
                int at = random.Next(2) == 0 ? random.Next(Math.Min(1024, bytes.Length)) : random.Next(bytes.Length);
                bytes[at] = (byte)random.Next(256);
            }
            Add($"mutated-{i:D3}.{(isJpeg ? "jpg" : "png")}", Kind.Other, isJpeg ? bytes : WithCrcs(bytes));
        }
    }

    private static byte[] WithCrcs(byte[] png) =>
        png.AsSpan(0, 8).SequenceEqual(PngSignature) ? CraftedImages.WithPngCrcs(png) : png;

    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private void Add(string name, Kind kind, byte[] bytes)
    {
        string path = folder.File(name);
        File.WriteAllBytes(path, bytes);
        entries.Add(new Entry(name, kind, path, bytes));
    }

    private static byte[] DrawnPng(byte[] jpeg)
    {
        using var photo = SKBitmap.Decode(jpeg);
        using var small = photo.Resize(new SKImageInfo(128, 128), new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var encoded = small.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }

    /// <summary>One file of the corpus.</summary>
    /// <param name="Name">Its file name, which says what it is.</param>
    /// <param name="Expected">What it must give.</param>
    /// <param name="Path">Its full path.</param>
    /// <param name="Bytes">Its contents.</param>
    public sealed record Entry(string Name, Kind Expected, string Path, byte[] Bytes)
    {
        /// <inheritdoc/>
        public override string ToString() => Name;
    }
}
