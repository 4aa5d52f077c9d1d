using Keypoints.MLNet.Images;

namespace Keypoints.Cli.Serving;

/// <summary>What <c>POST /faces</c> accepts; anything beyond gets a 413 with a JSON error, before the image is
/// decoded.</summary>
/// <param name="MaxBodyBytes">The largest request body in bytes.</param>
/// <param name="Image">The largest image, read from its header; decoding takes 4 bytes a pixel while it runs.</param>
internal sealed record ServeLimits(long MaxBodyBytes, ImageDecodeLimits Image)
{
    /// <summary>How many requests decode and score at once (each decodes up to <see
    /// cref="ImageDecodeLimits.MaxImagePixels"/> and runs the detector on every tile of a big photo); the others wait
    /// for a turn, up to <see cref="QueueTimeout"/>, then get a 503. Default: one per core.</summary>
    public int MaxConcurrentScoring { get; init; } = Environment.ProcessorCount;

    /// <summary>How long a request waits for a turn to score before it gets a 503 with <c>Retry-After</c>.</summary>
    public static TimeSpan QueueTimeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>10 MiB bodies, sides up to 8192 pixels, 25 megapixels (100 MB while one image decodes): stricter than
    /// <see cref="ImageDecodeLimits.Default"/>, since a server decodes for strangers, several at once.</summary>
    public static ServeLimits Default { get; } =
        new(10L << 20, new ImageDecodeLimits { MaxImageSide = 8192, MaxImagePixels = 25_000_000 });
}
