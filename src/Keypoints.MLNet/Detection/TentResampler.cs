namespace Keypoints.MLNet.Detection;

/// <summary>Separable tent-filter resampling of an <see cref="RgbImage"/>: the output pixels that two
/// <see cref="FilterTaps"/> place inside the image, as R, G, B floats in [0, 255].</summary>
internal static class TentResampler
{
    /// <summary>Returns the output rows <c>rows.FirstOutput..rows.LastOutput</c>, each of the output columns
    /// <c>columns.FirstOutput..columns.LastOutput</c>, R, G, B interleaved; empty when either axis has no output inside
    /// the image.</summary>
    public static float[] Resample(RgbImage image, FilterTaps columns, FilterTaps rows)
    {
        if (rows.FirstOutput > rows.LastOutput || columns.FirstOutput > columns.LastOutput)
            return [];
        int firstRow = rows.Indices[rows.FirstOutput * rows.Width];
        int lastRow = rows.Indices[(rows.LastOutput * rows.Width) + rows.Width - 1];
        float[] horizontal = FilterRows(image, columns, firstRow, lastRow);
        return FilterColumns(horizontal, rows, firstRow, (columns.LastOutput - columns.FirstOutput + 1) * 3);
    }

    private static float[] FilterRows(RgbImage image, FilterTaps columns, int firstRow, int lastRow)
    {
        int length = (columns.LastOutput - columns.FirstOutput + 1) * 3;
        float[] horizontal = new float[(lastRow - firstRow + 1) * length];
        int sourceStride = image.Width * 3;
        for (int y = firstRow; y <= lastRow; y++)
        {
            var sourceRow = image.Pixels.AsSpan(y * sourceStride, sourceStride);
            var targetRow = horizontal.AsSpan((y - firstRow) * length, length);
            for (int x = columns.FirstOutput; x <= columns.LastOutput; x++)
            {
                var indices = columns.Indices.AsSpan(x * columns.Width, columns.Width);
                var weights = columns.Weights.AsSpan(x * columns.Width, columns.Width);
                float r = 0,
                    g = 0,
                    b = 0;
                for (int k = 0; k < indices.Length; k++)
                {
                    int source = indices[k] * 3;
                    float w = weights[k];
                    r += sourceRow[source] * w;
                    g += sourceRow[source + 1] * w;
                    b += sourceRow[source + 2] * w;
                }
                int at = (x - columns.FirstOutput) * 3;
                targetRow[at] = r;
                targetRow[at + 1] = g;
                targetRow[at + 2] = b;
            }
        }
        return horizontal;
    }

    /// <summary>The vertical pass: each output row a weighted sum of whole filtered rows, which vectorises
    /// well.</summary>
    private static float[] FilterColumns(float[] horizontal, FilterTaps rows, int firstRow, int length)
    {
        float[] result = new float[(rows.LastOutput - rows.FirstOutput + 1) * length];
        for (int y = rows.FirstOutput; y <= rows.LastOutput; y++)
        {
            var sum = result.AsSpan((y - rows.FirstOutput) * length, length);
            for (int k = 0; k < rows.Width; k++)
            {
                float w = rows.Weights[(y * rows.Width) + k];
                if (w == 0)
                    continue;
                var source = horizontal.AsSpan((rows.Indices[(y * rows.Width) + k] - firstRow) * length, length);
                for (int i = 0; i < length; i++)
                    sum[i] += source[i] * w;
            }
        }
        return result;
    }
}
