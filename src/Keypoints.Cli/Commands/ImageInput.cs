namespace Keypoints.Cli.Commands;

/// <summary>The network input of <c>train</c> on image files: <c>--input-size</c> (or the fine-tuned model's size) and
/// <c>--color</c> (or the model's channels).</summary>
/// <param name="RequestedSize">Width and height in pixels that were asked for; null for the default.</param>
/// <param name="Color">Whether the images are read in color (3 channels) instead of grey.</param>
internal sealed record ImageInput(int? RequestedSize, bool Color)
{
    /// <summary>Width and height in pixels of the network's input: <see cref="RequestedSize"/>, else 96.</summary>
    public int Size => RequestedSize ?? 96;
}
