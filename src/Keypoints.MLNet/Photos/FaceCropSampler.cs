using System.Buffers;
using Keypoints.MLNet.Detection;

namespace Keypoints.MLNet.Photos;

/// <summary>Cuts a <see cref="FaceFrame"/> out of a photo into a network input: planar (CHW) 0-255 values, one grey
/// plane or R, G, B planes, the layout ML.NET's <c>ExtractPixels</c> gives the network in training. Where the
/// frame leaves the photo the edge pixels repeat (the data's crop rule); resampling is a separable tent filter whose
/// support widens with the reduction, so shrinking averages instead of aliasing.</summary>
internal static class FaceCropSampler
{
    // The weights of ML.NET's ConvertToGrayscale (MLImage's colour matrix), which made the grey input of every model
    // trained on image files, rather than Rec. 601's 0.299, 0.587, 0.114.
    private const float LumaRed = 0.3f,
        LumaGreen = 0.59f,
        LumaBlue = 0.11f;

    /// <summary>Writes <c>channels * frame.Height * frame.Width</c> values into <paramref name="input"/>.</summary>
    public static void Fill(RgbImage image, FaceFrame frame, int channels, Span<float> input)
    {
        int width = frame.Width,
            height = frame.Height;
        float scale = (float)(1 / frame.Scale);
        var columns = FilterTaps.Along(width, image.Width, scale, 0, (float)frame.Left, (float)(width * frame.Scale));
        var rows = FilterTaps.Along(height, image.Height, scale, 0, (float)frame.Top, (float)(height * frame.Scale));
        int plane = width * height;
        float[] region = ArrayPool<float>.Shared.Rent(plane * 3);
        try
        {
            region.AsSpan(0, plane * 3).Clear();
            TentResampler.Resample(image, columns, rows, region, width * 3);
            for (int at = 0; at < plane; at++)
            {
                float r = region[at * 3],
                    g = region[(at * 3) + 1],
                    b = region[(at * 3) + 2];
                if (channels == 1)
                {
                    input[at] = (LumaRed * r) + (LumaGreen * g) + (LumaBlue * b);
                }
                else
                {
                    input[at] = r;
                    input[plane + at] = g;
                    input[(2 * plane) + at] = b;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(region);
        }
    }
}
