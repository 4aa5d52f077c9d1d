namespace Keypoints.MLNet.Scoring;

/// <summary>
/// The weights of one convolution layer, <c>[Count, Channels, Height, Width]</c> in row-major order, as
/// ONNX <c>Conv</c> and TorchSharp <c>Conv2d</c> store them: one <c>Height x Width</c> kernel per output
/// filter and input channel. The weights are in the network's units, applied to normalized pixels.
/// </summary>
public sealed class ConvolutionKernels
{
    private readonly float[] weights;

    internal ConvolutionKernels(float[] weights, int count, int channels, int height, int width)
    {
        if ((long)count * channels * height * width != weights.Length)
        {
            throw new ArgumentException(
                $"{weights.Length} weights do not fill [{count}, {channels}, {height}, {width}].",
                nameof(weights)
            );
        }

        this.weights = weights;
        Count = count;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>The number of filters (output channels).</summary>
    public int Count { get; }

    /// <summary>The number of input channels each filter reads (1 for grey images).</summary>
    public int Channels { get; }

    /// <summary>Kernel height in pixels.</summary>
    public int Height { get; }

    /// <summary>Kernel width in pixels.</summary>
    public int Width { get; }

    /// <summary>Every weight, <c>[Count, Channels, Height, Width]</c> in row-major order.</summary>
    public ReadOnlyMemory<float> Weights => weights;

    /// <summary>The <c>Height x Width</c> kernel, row by row, that filter <paramref name="filter"/> applies to input
    /// channel <paramref name="channel"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The filter or channel is out of range.</exception>
    public ReadOnlySpan<float> Kernel(int filter, int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(filter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(filter, Count);
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, Channels);
        int size = Height * Width;
        return weights.AsSpan(((filter * Channels) + channel) * size, size);
    }
}
