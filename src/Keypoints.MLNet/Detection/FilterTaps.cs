namespace Keypoints.MLNet.Detection;

/// <summary>The resampling filter along one axis of a letterbox: for each output index inside the region, the same
/// number (<see cref="Width"/>) of source pixels and their weights, laid out flat so the sampler's loops index arrays
/// rather than chase lists. Source pixels past the image's edge repeat the edge pixel, so indices never decrease;
/// unused taps weigh 0.</summary>
/// <param name="Width">Taps per output index.</param>
/// <param name="FirstOutput">First output index inside the region (those before it are padding).</param>
/// <param name="LastOutput">Last output index inside the region.</param>
/// <param name="Indices">Per output index, <see cref="Width"/> source indices.</param>
/// <param name="Weights">Per output index, <see cref="Width"/> weights summing to 1.</param>
internal sealed record FilterTaps(int Width, int FirstOutput, int LastOutput, int[] Indices, float[] Weights)
{
    /// <summary>A tent filter of radius max(1, 1 / scale) source pixels, centred where each output pixel's centre
    /// maps.</summary>
    /// <param name="size">Output length (the model's input side).</param>
    /// <param name="sourceLength">Image length along this axis.</param>
    /// <param name="scale">Output pixels per source pixel.</param>
    /// <param name="pad">Padding before the region, in output pixels.</param>
    /// <param name="regionStart">Region start in the image, in pixels from its edge.</param>
    /// <param name="regionLength">Region length in image pixels.</param>
    public static FilterTaps Along(
        int size,
        int sourceLength,
        float scale,
        float pad,
        float regionStart,
        float regionLength
    )
    {
        float radius = Math.Max(1f, 1f / scale);
        int width = (2 * (int)MathF.Ceiling(radius)) + 1;
        int[] indices = new int[size * width];
        float[] weights = new float[size * width];
        int firstOutput = size,
            lastOutput = -1;
        for (int i = 0; i < size; i++)
        {
            float inputCentre = i + 0.5f;
            if (inputCentre < pad || inputCentre > pad + (regionLength * scale))
                continue;
            firstOutput = Math.Min(firstOutput, i);
            lastOutput = i;
            float centre = ((inputCentre - pad) / scale) + regionStart - 0.5f;
            int first = (int)MathF.Floor(centre - radius) + 1;
            float total = 0;
            for (int k = 0; k < width; k++)
            {
                int s = first + k;
                float w = Math.Max(0f, 1f - (MathF.Abs(s - centre) / radius));
                indices[(i * width) + k] = Math.Clamp(s, 0, sourceLength - 1);
                weights[(i * width) + k] = w;
                total += w;
            }
            for (int k = 0; k < width; k++)
                weights[(i * width) + k] /= total;
        }
        return new FilterTaps(width, firstOutput, lastOutput, indices, weights);
    }
}
