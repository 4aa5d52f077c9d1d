using System.Globalization;

namespace Keypoints.MLNet.Images;

/// <summary>The largest image this library decodes. Every photo and image-file entry point reads the width and height
/// from the file's header first and refuses an image over these limits with an <see cref="InvalidDataException"/> that
/// names the file, the declared size and the limits, before a pixel is decoded (a decoded image takes 4 bytes a pixel,
/// so a 1 MB file that declares 20000 x 20000 pixels would take 1.6 GB). Defaults: sides up to 16384 pixels and 64
/// megapixels, which hold a 50-megapixel camera photo (why: docs/decisions.md#image-decode-limits).</summary>
public sealed record ImageDecodeLimits
{
    /// <summary>The default <see cref="MaxImageSide"/>: 16384 pixels.</summary>
    public const int DefaultMaxImageSide = 16384;

    /// <summary>The default <see cref="MaxImagePixels"/>: 64 megapixels (256 MB as decoded RGBA).</summary>
    public const long DefaultMaxImagePixels = 64_000_000;

    /// <summary>The most <see cref="MaxImagePixels"/> may be: a decoded RGBA image must fit in one .NET array (2
    /// GiB).</summary>
    public const long LargestMaxImagePixels = int.MaxValue / 4;

    private readonly int maxImageSide = DefaultMaxImageSide;
    private readonly long maxImagePixels = DefaultMaxImagePixels;

    /// <summary>The defaults, <see cref="DefaultMaxImageSide"/> and <see cref="DefaultMaxImagePixels"/>.</summary>
    public static ImageDecodeLimits Default { get; } = new();

    /// <summary>The largest width or height, in pixels. Default <see cref="DefaultMaxImageSide"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    public int MaxImageSide
    {
        get => maxImageSide;
        init =>
            maxImageSide =
                value >= 1
                    ? value
                    : throw new ArgumentOutOfRangeException(
                        nameof(MaxImageSide),
                        value,
                        "MaxImageSide must be at least 1."
                    );
    }

    /// <summary>The largest width times height, in pixels. Default <see cref="DefaultMaxImagePixels"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1 or above <see
    /// cref="LargestMaxImagePixels"/>.</exception>
    public long MaxImagePixels
    {
        get => maxImagePixels;
        init =>
            maxImagePixels = value is >= 1 and <= LargestMaxImagePixels
                ? value
                : throw new ArgumentOutOfRangeException(
                    nameof(MaxImagePixels),
                    value,
                    $"MaxImagePixels must lie between 1 and {LargestMaxImagePixels}."
                );
    }

    /// <summary>Whether an image of <paramref name="width"/> x <paramref name="height"/> pixels is within the
    /// limits.</summary>
    public bool Admits(int width, int height) =>
        width <= MaxImageSide && height <= MaxImageSide && (long)width * height <= MaxImagePixels;

    /// <summary>The limits in words: "sides up to 16384 pixels and at most 64 megapixels".</summary>
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"sides up to {MaxImageSide} pixels and at most {MaxImagePixels / 1e6:0.##} megapixels"
        );

    /// <summary>Refuses an image over the limits.</summary>
    /// <param name="source">What the image is, as the message starts: <c>Image file 'a.png'</c>.</param>
    /// <param name="width">The width its header declares, in pixels.</param>
    /// <param name="height">The height its header declares, in pixels.</param>
    /// <exception cref="InvalidDataException">The image is over the limits.</exception>
    internal void Check(string source, int width, int height)
    {
        if (!Admits(width, height))
        {
            throw new InvalidDataException(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{source} declares {width} x {height} pixels ({(long)width * height / 1e6:0.#} megapixels), over "
                        + $"the limit of {this} ({nameof(ImageDecodeLimits)}); it was not decoded."
                )
            );
        }
    }
}
