using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Photos;

namespace Keypoints.MLNet.Tests.Photos;

/// <summary>Cutting a face frame out of a photo: placement, edge replication, filtering, grey and RGB planes.</summary>
public sealed class FaceCropSamplerTests
{
    [Fact]
    public void Fill_AtScaleOne_CopiesThePixelsTheFrameCovers()
    {
        var photo = Gradient(40, 30);
        var frame = new FaceFrame(5, 7, 1, 8, 6);
        float[] input = new float[3 * 8 * 6];

        FaceCropSampler.Fill(photo, frame, 3, input);

        for (int y = 0; y < 6; y++)
        {
            for (int x = 0; x < 8; x++)
            {
                Assert.Equal(Red(x + 5), input[(y * 8) + x], 3);
                Assert.Equal(Green(y + 7), input[48 + (y * 8) + x], 3);
                Assert.Equal(7, input[96 + (y * 8) + x], 3);
            }
        }
    }

    [Fact]
    public void Fill_WhereTheFrameLeavesThePhoto_RepeatsTheEdgePixels()
    {
        var photo = Gradient(20, 20);
        var frame = new FaceFrame(-4, -3, 1, 6, 6);
        float[] input = new float[3 * 36];

        FaceCropSampler.Fill(photo, frame, 3, input);

        // Network pixel (0, 0) lies at photo (-4, -3): the corner pixel repeated.
        Assert.Equal(Red(0), input[0], 3);
        Assert.Equal(Green(0), input[36], 3);
        // Network pixel (5, 5) lies at photo (1, 2).
        Assert.Equal(Red(1), input[35], 3);
    }

    [Fact]
    public void Fill_WhenShrinking_AveragesInsteadOfPickingPixels()
    {
        // A checkerboard of 0 and 255 shrunk 4 times must come out mid grey; point sampling would give 0 or 255.
        byte[] pixels = new byte[64 * 64 * 3];
        for (int y = 0; y < 64; y++)
        {
            for (int x = 0; x < 64; x++)
                pixels.AsSpan(((y * 64) + x) * 3, 3).Fill((byte)(((x + y) % 2) * 255));
        }
        float[] input = new float[16 * 16];

        FaceCropSampler.Fill(new RgbImage(64, 64, pixels), new FaceFrame(0, 0, 4, 16, 16), 1, input);

        Assert.All(input[2..^2], v => Assert.InRange(v, 100, 155));
    }

    [Fact]
    public void Fill_Grey_WeighsTheColoursAsMLNetsConvertToGrayscale()
    {
        byte[] pixels = new byte[4 * 4 * 3];
        for (int p = 0; p < 16; p++)
        {
            pixels[3 * p] = 200;
            pixels[(3 * p) + 1] = 100;
            pixels[(3 * p) + 2] = 50;
        }
        float[] input = new float[4];

        FaceCropSampler.Fill(new RgbImage(4, 4, pixels), new FaceFrame(1, 1, 1, 2, 2), 1, input);

        Assert.All(input, v => Assert.Equal((0.3 * 200) + (0.59 * 100) + (0.11 * 50), v, 2));
    }

    private static byte Red(int x) => (byte)(x * 5);

    private static byte Green(int y) => (byte)(y * 7);

    private static RgbImage Gradient(int width, int height)
    {
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                pixels[((y * width) + x) * 3] = Red(x);
                pixels[(((y * width) + x) * 3) + 1] = Green(y);
                pixels[(((y * width) + x) * 3) + 2] = 7;
            }
        }
        return new RgbImage(width, height, pixels);
    }
}
