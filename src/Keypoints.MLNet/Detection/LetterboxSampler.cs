namespace Keypoints.MLNet.Detection;

/// <summary>Fills the detector's input tensor (NHWC, RGB, values in [-1, 1]) from a region of an image placed by a
/// <see cref="LetterboxFrame"/>, resampled by <see cref="TentResampler"/>. Padding is black (-1), as MediaPipe's zero
/// border gives.</summary>
/// <remarks>Why a tent filter: docs/decisions.md#tent-filter-resampling.</remarks>
internal static class LetterboxSampler
{
    private const float PadValue = -1f;

    /// <summary>Writes <c>InputSize * InputSize * 3</c> floats into <paramref name="tensor"/>.</summary>
    public static void Fill(RgbImage image, LetterboxFrame frame, Span<float> tensor)
    {
        int size = frame.InputSize;
        var columns = FilterTaps.Along(
            size,
            image.Width,
            frame.Scale,
            frame.PadLeft,
            frame.RegionLeft,
            frame.RegionWidth
        );
        var rows = FilterTaps.Along(size, image.Height, frame.Scale, frame.PadTop, frame.RegionTop, frame.RegionHeight);
        tensor[..(size * size * 3)].Fill(PadValue);
        float[] region = TentResampler.Resample(image, columns, rows);
        if (region.Length == 0)
            return;

        const float toUnit = 1f / 127.5f;
        int from = columns.FirstOutput * 3,
            length = (columns.LastOutput - columns.FirstOutput + 1) * 3;
        for (int y = rows.FirstOutput; y <= rows.LastOutput; y++)
        {
            var source = region.AsSpan((y - rows.FirstOutput) * length, length);
            var target = tensor.Slice((y * size * 3) + from, length);
            for (int i = 0; i < length; i++)
                target[i] = (source[i] * toUnit) - 1f;
        }
    }
}
