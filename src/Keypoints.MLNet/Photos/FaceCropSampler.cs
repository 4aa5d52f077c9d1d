using Keypoints.MLNet.Detection;

namespace Keypoints.MLNet.Photos;

/// <summary>Cuts a <see cref="FaceFrame"/> out of a photo into a network input: planar (CHW) 0-255 values, one grey plane
/// or R, G, B planes, the layout ML.NET's <c>ExtractPixels</c> gives the network in training. Where the
/// frame leaves the photo the edge pixels repeat (the data's crop rule); resampling is a separable tent filter whose support
/// widens with the reduction, so shrinking averages instead of aliasing.</summary>
internal static class FaceCropSampler
{
    // The weights of ML.NET's ConvertToGrayscale (MLImage's colour matrix), which made the grey input of every model
    // trained on image files, rather than Rec. 601's 0.299, 0.587, 0.114.
    private const float LumaRed = 0.3f, LumaGreen = 0.59f, LumaBlue = 0.11f;

    /// <summary>Writes <c>channels * frame.Height * frame.Width</c> values into <paramref name="input"/>.</summary>
    public static void Fill(RgbImage image, FaceFrame frame, int channels, Span<float> input)
    {
        int width = frame.Width, height = frame.Height;
        float scale = (float)(1 / frame.Scale);
        var columns = FilterTaps.Along(width, image.Width, scale, 0, (float)frame.Left, (float)(width * frame.Scale));
        var rows = FilterTaps.Along(height, image.Height, scale, 0, (float)frame.Top, (float)(height * frame.Scale));
        int firstRow = rows.Indices.Min(), lastRow = rows.Indices.Max();

        // Horizontal pass over the source rows any output row reads.
        var horizontal = new float[(lastRow - firstRow + 1) * width * 3];
        var pixels = image.Pixels;
        int stride = image.Width * 3;
        for (int y = firstRow; y <= lastRow; y++)
        {
            var sourceRow = pixels.AsSpan(y * stride, stride);
            var targetRow = horizontal.AsSpan((y - firstRow) * width * 3, width * 3);
            for (int x = 0; x < width; x++)
            {
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < columns.Width; k++)
                {
                    int source = columns.Indices[(x * columns.Width) + k] * 3;
                    float w = columns.Weights[(x * columns.Width) + k];
                    r += sourceRow[source] * w;
                    g += sourceRow[source + 1] * w;
                    b += sourceRow[source + 2] * w;
                }
                targetRow[x * 3] = r;
                targetRow[(x * 3) + 1] = g;
                targetRow[(x * 3) + 2] = b;
            }
        }

        int plane = width * height;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < rows.Width; k++)
                {
                    int source = (((rows.Indices[(y * rows.Width) + k] - firstRow) * width) + x) * 3;
                    float w = rows.Weights[(y * rows.Width) + k];
                    r += horizontal[source] * w;
                    g += horizontal[source + 1] * w;
                    b += horizontal[source + 2] * w;
                }
                int at = (y * width) + x;
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
    }
}
