namespace Keypoints.MLNet.Detection;

/// <summary>Fills the detector's input tensor (NHWC, RGB, values in [-1, 1]) from a region of an image placed by a
/// <see cref="LetterboxFrame"/>. Resampling is separable with a triangle (tent) filter whose support widens with the
/// reduction, so a 640-pixel photo shrunk to 256 is averaged rather than point-sampled (point sampling aliases the
/// fine detail small faces are made of). Padding is black (-1), as MediaPipe's zero border gives.</summary>
internal static class LetterboxSampler
{
    private const float PadValue = -1f;

    /// <summary>Writes <c>InputSize * InputSize * 3</c> floats into <paramref name="tensor"/>.</summary>
    public static void Fill(RgbImage image, LetterboxFrame frame, Span<float> tensor)
    {
        int size = frame.InputSize;
        var columns = FilterTaps.Along(size, image.Width, frame.Scale, frame.PadLeft, frame.RegionLeft, frame.RegionWidth);
        var rows = FilterTaps.Along(size, image.Height, frame.Scale, frame.PadTop, frame.RegionTop, frame.RegionHeight);
        tensor[..(size * size * 3)].Fill(PadValue);
        if (rows.FirstOutput > rows.LastOutput || columns.FirstOutput > columns.LastOutput)
            return;

        // Horizontal pass over the source rows that some output row reads, into floats 0..255, only for the output
        // columns inside the region.
        int firstRow = rows.Indices[rows.FirstOutput * rows.Width];
        int lastRow = rows.Indices[(rows.LastOutput * rows.Width) + rows.Width - 1];
        var horizontal = new float[(lastRow - firstRow + 1) * size * 3];
        var pixels = image.Pixels;
        int sourceStride = image.Width * 3;
        for (int y = firstRow; y <= lastRow; y++)
        {
            var sourceRow = pixels.AsSpan(y * sourceStride, sourceStride);
            var targetRow = horizontal.AsSpan((y - firstRow) * size * 3, size * 3);
            for (int x = columns.FirstOutput; x <= columns.LastOutput; x++)
            {
                var indices = columns.Indices.AsSpan(x * columns.Width, columns.Width);
                var weights = columns.Weights.AsSpan(x * columns.Width, columns.Width);
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < indices.Length; k++)
                {
                    int source = indices[k] * 3;
                    float w = weights[k];
                    r += sourceRow[source] * w;
                    g += sourceRow[source + 1] * w;
                    b += sourceRow[source + 2] * w;
                }
                targetRow[x * 3] = r;
                targetRow[(x * 3) + 1] = g;
                targetRow[(x * 3) + 2] = b;
            }
        }

        // Vertical pass, then [0, 255] to [-1, 1]: a weighted sum of whole rows, which vectorises well.
        const float toUnit = 1f / 127.5f;
        int from = columns.FirstOutput * 3, length = (columns.LastOutput - columns.FirstOutput + 1) * 3;
        var sum = new float[length];
        for (int y = rows.FirstOutput; y <= rows.LastOutput; y++)
        {
            Array.Clear(sum);
            for (int k = 0; k < rows.Width; k++)
            {
                float w = rows.Weights[(y * rows.Width) + k];
                if (w == 0)
                    continue;
                var source = horizontal.AsSpan(((rows.Indices[(y * rows.Width) + k] - firstRow) * size * 3) + from, length);
                for (int i = 0; i < length; i++)
                    sum[i] += source[i] * w;
            }
            var target = tensor.Slice((y * size * 3) + from, length);
            for (int i = 0; i < length; i++)
                target[i] = (sum[i] * toUnit) - 1f;
        }
    }
}
