namespace Keypoints.MLNet.Data;

/// <summary>Where <see cref="KeypointLayoutResolver"/> takes the image size of a layout found from slot names: a size
/// the caller knows (<see cref="Known"/>), or the size of the square images in a pixel column (<see
/// cref="FromColumn"/>).</summary>
internal sealed record LayoutImageSize
{
    private LayoutImageSize((int Width, int Height)? size, string? imageColumnName, int? channels)
    {
        Size = size;
        ImageColumnName = imageColumnName;
        Channels = channels;
    }

    /// <summary>The size in pixels, when the caller knows it (for example the network's input).</summary>
    public (int Width, int Height)? Size { get; }

    /// <summary>The column of <c>C * H * W</c> pixels of square images, when the size comes from it.</summary>
    public string? ImageColumnName { get; }

    /// <summary>The channels of <see cref="ImageColumnName"/>; null to accept 1 or 3.</summary>
    public int? Channels { get; }

    /// <summary>A size in pixels the caller knows.</summary>
    public static LayoutImageSize Known(int width, int height) => new((width, height), null, null);

    /// <summary>The size of the square images of <paramref name="channels"/> (null: 1 or 3) channels in <paramref
    /// name="imageColumnName"/>.</summary>
    public static LayoutImageSize FromColumn(string imageColumnName, int? channels = null) =>
        new(null, imageColumnName, channels);
}
