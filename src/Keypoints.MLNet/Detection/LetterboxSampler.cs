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
        var columns = Taps(size, image.Width, frame.Scale, frame.PadLeft, frame.RegionLeft, frame.RegionWidth);
        var rows = Taps(size, image.Height, frame.Scale, frame.PadTop, frame.RegionTop, frame.RegionHeight);

        // Horizontal pass on the source rows that any output row reads, into floats 0..255.
        int firstRow = int.MaxValue, lastRow = -1;
        foreach (var tap in rows)
        {
            if (tap.Indices.Length == 0)
                continue;
            firstRow = Math.Min(firstRow, tap.Indices[0]);
            lastRow = Math.Max(lastRow, tap.Indices[^1]);
        }
        tensor[..(size * size * 3)].Fill(PadValue);
        if (lastRow < 0)
            return;
        var horizontal = new float[(lastRow - firstRow + 1) * size * 3];
        var pixels = image.Pixels;
        for (int y = firstRow; y <= lastRow; y++)
        {
            int sourceRow = y * image.Width * 3;
            int targetRow = (y - firstRow) * size * 3;
            for (int x = 0; x < size; x++)
            {
                var tap = columns[x];
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < tap.Indices.Length; k++)
                {
                    int source = sourceRow + (tap.Indices[k] * 3);
                    float w = tap.Weights[k];
                    r += pixels[source] * w;
                    g += pixels[source + 1] * w;
                    b += pixels[source + 2] * w;
                }
                int target = targetRow + (x * 3);
                horizontal[target] = r;
                horizontal[target + 1] = g;
                horizontal[target + 2] = b;
            }
        }

        // Vertical pass, then [0, 255] to [-1, 1]; columns outside the region stay padding.
        const float toUnit = 1f / 127.5f;
        for (int y = 0; y < size; y++)
        {
            var tap = rows[y];
            if (tap.Indices.Length == 0)
                continue;
            int targetRow = y * size * 3;
            for (int x = 0; x < size; x++)
            {
                if (columns[x].Indices.Length == 0)
                    continue;
                float r = 0, g = 0, b = 0;
                for (int k = 0; k < tap.Indices.Length; k++)
                {
                    int source = ((tap.Indices[k] - firstRow) * size * 3) + (x * 3);
                    float w = tap.Weights[k];
                    r += horizontal[source] * w;
                    g += horizontal[source + 1] * w;
                    b += horizontal[source + 2] * w;
                }
                int target = targetRow + (x * 3);
                tensor[target] = (r * toUnit) - 1f;
                tensor[target + 1] = (g * toUnit) - 1f;
                tensor[target + 2] = (b * toUnit) - 1f;
            }
        }
    }

    /// <summary>For each output index along one axis, the source pixels it averages and their weights (none where the
    /// output lies in the padding). Source pixels past the image's edge repeat the edge pixel.</summary>
    private static FilterTap[] Taps(int size, int sourceLength, float scale, float pad, float regionStart, float regionLength)
    {
        var taps = new FilterTap[size];
        float radius = Math.Max(1f, 1f / scale);
        for (int i = 0; i < size; i++)
        {
            float inputCentre = i + 0.5f;
            if (inputCentre < pad || inputCentre > pad + (regionLength * scale))
            {
                taps[i] = new FilterTap([], []);
                continue;
            }
            float centre = ((inputCentre - pad) / scale) + regionStart - 0.5f;
            int first = (int)MathF.Ceiling(centre - radius);
            int last = (int)MathF.Floor(centre + radius);
            var indices = new List<int>(last - first + 1);
            var weights = new List<float>(last - first + 1);
            float total = 0;
            for (int s = first; s <= last; s++)
            {
                float w = 1f - (MathF.Abs(s - centre) / radius);
                if (w <= 0)
                    continue;
                indices.Add(Math.Clamp(s, 0, sourceLength - 1));
                weights.Add(w);
                total += w;
            }
            for (int k = 0; k < weights.Count; k++)
                weights[k] /= total;
            taps[i] = new FilterTap([.. indices], [.. weights]);
        }
        return taps;
    }

    private readonly record struct FilterTap(int[] Indices, float[] Weights);
}
