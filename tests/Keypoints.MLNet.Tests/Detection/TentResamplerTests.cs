using Keypoints.MLNet.Detection;

namespace Keypoints.MLNet.Tests.Detection;

/// <summary>The tent-filter resampling that the letterbox and the face crops share (<see cref="TentResampler"/>): it
/// holds only the few filtered rows an output row needs, skips taps of zero weight and sums a vector at a time, and
/// must still give, to the bit, what filtering every row first and summing one value at a time gives.</summary>
public sealed class TentResamplerTests
{
    [Theory]
    [InlineData(640, 480, 256, 256, 0.4f, 0f, 32f, 0f, 0f, 640f, 480f)] // the detector's letterbox of a scene
    [InlineData(300, 200, 96, 96, 0.32f, 0f, 0f, 10f, 40f, 300f, 160f)] // a shrunken crop, part of it past the edge
    [InlineData(50, 40, 96, 96, 2.5f, 0f, 0f, -5f, -3f, 38.4f, 38.4f)] // an enlarged crop of a small face
    [InlineData(1200, 900, 256, 256, 0.5f, 0f, 0f, 600f, 400f, 512f, 512f)] // a tile of a big photo
    [InlineData(7, 5, 3, 5, 0.43f, 0f, 0f, 0f, 0f, 7f, 5f)] // fewer values per row than a vector holds
    public void Resample_GivesToTheBitWhatFilteringEveryRowFirstGives(
        int imageWidth,
        int imageHeight,
        int outputWidth,
        int outputHeight,
        float scale,
        float padLeft,
        float padTop,
        float regionLeft,
        float regionTop,
        float regionWidth,
        float regionHeight
    )
    {
        var image = Noise(imageWidth, imageHeight);
        var columns = FilterTaps.Along(outputWidth, imageWidth, scale, padLeft, regionLeft, regionWidth);
        var rows = FilterTaps.Along(outputHeight, imageHeight, scale, padTop, regionTop, regionHeight);
        int length = (columns.LastOutput - columns.FirstOutput + 1) * 3;
        int stride = length + 5;
        float[] destination = new float[(rows.LastOutput - rows.FirstOutput + 1) * stride];
        Array.Fill(destination, -7f);

        TentResampler.Resample(image, columns, rows, destination, stride);

        float[] expected = Reference(image, columns, rows);
        for (int y = 0; y <= rows.LastOutput - rows.FirstOutput; y++)
        {
            Assert.Equal(expected.AsSpan(y * length, length), destination.AsSpan(y * stride, length));
            Assert.All(destination.AsSpan((y * stride) + length, 5).ToArray(), v => Assert.Equal(-7f, v));
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(6, 1)]
    [InlineData(7, 3)]
    [InlineData(640, 480)]
    public void FromRgba_DropsAlpha_ForAnyPixelCount(int width, int height)
    {
        byte[] rgba = new byte[width * height * 4];
        new Random(width * height).NextBytes(rgba);

        var image = RgbImage.FromRgba(width, height, rgba);

        byte[] expected = [.. rgba.Where((_, i) => i % 4 != 3)];
        Assert.Equal(expected, image.Pixels);
    }

    private static RgbImage Noise(int width, int height)
    {
        byte[] pixels = new byte[width * height * 3];
        new Random(width + height).NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    /// <summary>Every source row filtered first, then each output row summed one value at a time over all its
    /// taps.</summary>
    private static float[] Reference(RgbImage image, FilterTaps columns, FilterTaps rows)
    {
        int length = (columns.LastOutput - columns.FirstOutput + 1) * 3;
        float[] horizontal = new float[image.Height * length];
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = columns.FirstOutput; x <= columns.LastOutput; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    float sum = 0;
                    for (int k = 0; k < columns.Width; k++)
                    {
                        int tap = (x * columns.Width) + k;
                        sum +=
                            image.Pixels[(((y * image.Width) + columns.Indices[tap]) * 3) + c] * columns.Weights[tap];
                    }
                    horizontal[(y * length) + ((x - columns.FirstOutput) * 3) + c] = sum;
                }
            }
        }
        float[] result = new float[(rows.LastOutput - rows.FirstOutput + 1) * length];
        for (int y = rows.FirstOutput; y <= rows.LastOutput; y++)
        {
            for (int k = 0; k < rows.Width; k++)
            {
                float w = rows.Weights[(y * rows.Width) + k];
                if (w == 0)
                    continue;
                int source = rows.Indices[(y * rows.Width) + k];
                for (int i = 0; i < length; i++)
                    result[((y - rows.FirstOutput) * length) + i] += horizontal[(source * length) + i] * w;
            }
        }
        return result;
    }
}
