using System.Numerics;
using System.Runtime.CompilerServices;

namespace Keypoints.MLNet.Detection;

/// <summary>Fills the detector's input tensor (NHWC, RGB, values in [-1, 1]) from a region of an image placed by a
/// <see cref="LetterboxFrame"/>, resampled by <see cref="TentResampler"/>. Padding is black (-1), as MediaPipe's zero
/// border gives.</summary>
/// <remarks>Why a tent filter: docs/decisions.md#tent-filter-resampling.</remarks>
internal static class LetterboxSampler
{
    private const float PadValue = -1f;

    /// <summary>Writes <c>InputSize * InputSize * 3</c> floats into <paramref name="tensor"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
        if (rows.FirstOutput > rows.LastOutput || columns.FirstOutput > columns.LastOutput)
            return;

        const float toUnit = 1f / 127.5f;
        int from = columns.FirstOutput * 3,
            length = (columns.LastOutput - columns.FirstOutput + 1) * 3;
        TentResampler.Resample(image, columns, rows, tensor[((rows.FirstOutput * size * 3) + from)..], size * 3);
        for (int y = rows.FirstOutput; y <= rows.LastOutput; y++)
        {
            var values = tensor.Slice((y * size * 3) + from, length);
            int whole = length / Vector<float>.Count * Vector<float>.Count;
            for (int i = 0; i < whole; i += Vector<float>.Count)
                ((new Vector<float>(values[i..]) * toUnit) - Vector<float>.One).CopyTo(values[i..]);
            for (int i = whole; i < length; i++)
                values[i] = (values[i] * toUnit) - 1f;
        }
    }
}
