namespace Keypoints.MLNet.Networks;

/// <summary>The shape of one network input image: channels, height and width in pixels.</summary>
/// <param name="Channels">1 for grey images, 3 for color.</param>
/// <param name="Height">Image height in pixels.</param>
/// <param name="Width">Image width in pixels.</param>
internal readonly record struct NetworkInput(int Channels, int Height, int Width)
{
    /// <summary>Number of values in one image, <c>C * H * W</c>.</summary>
    public int Size => Channels * Height * Width;
}
