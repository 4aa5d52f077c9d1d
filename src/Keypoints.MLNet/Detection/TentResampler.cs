using System.Numerics;
using System.Runtime.CompilerServices;

namespace Keypoints.MLNet.Detection;

/// <summary>Separable tent-filter resampling of an <see cref="RgbImage"/>: the output pixels that two
/// <see cref="FilterTaps"/> place inside the image, as R, G, B floats in [0, 255].</summary>
internal static class TentResampler
{
    /// <summary>Writes the output rows <c>rows.FirstOutput..rows.LastOutput</c>, each of the output columns
    /// <c>columns.FirstOutput..columns.LastOutput</c>, R, G, B interleaved, to <paramref name="destination"/>: output
    /// row <c>y</c> at <c>(y - rows.FirstOutput) * stride</c>; nothing when either axis has no output inside the
    /// image. Each output row is a weighted sum of horizontally filtered source rows, of which only the few that the
    /// row filter spans are held at a time.</summary>
    /// <param name="image">The source image.</param>
    /// <param name="columns">The filter along the image's width.</param>
    /// <param name="rows">The filter along its height.</param>
    /// <param name="destination">Where the output rows go; the values between them are left as they are.</param>
    /// <param name="stride">Values from one output row's start to the next, at least <c>3 * (columns.LastOutput -
    /// columns.FirstOutput + 1)</c>.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Resample(
        RgbImage image,
        FilterTaps columns,
        FilterTaps rows,
        Span<float> destination,
        int stride
    )
    {
        if (rows.FirstOutput > rows.LastOutput || columns.FirstOutput > columns.LastOutput)
            return;
        var horizontal = new HorizontalRows(image, columns, rows.Width);
        int length = horizontal.Length;
        for (int y = rows.FirstOutput; y <= rows.LastOutput; y++)
        {
            var sum = destination.Slice((y - rows.FirstOutput) * stride, length);
            sum.Clear();
            for (int k = 0; k < rows.Width; k++)
            {
                float w = rows.Weights[(y * rows.Width) + k];
                if (w == 0)
                    continue;
                var source = horizontal.Row(rows.Indices[(y * rows.Width) + k]);
                int whole = length / Vector<float>.Count * Vector<float>.Count;
                for (int i = 0; i < whole; i += Vector<float>.Count)
                    (new Vector<float>(sum[i..]) + (new Vector<float>(source[i..]) * w)).CopyTo(sum[i..]);
                for (int i = whole; i < length; i++)
                    sum[i] += source[i] * w;
            }
        }
    }

    /// <summary>Horizontally filtered source rows, made when first asked for and kept in a ring of as many rows as the
    /// row filter has taps: the rows one output row needs lie within that many consecutive source rows, and later
    /// output rows never need earlier source rows.</summary>
    private sealed class HorizontalRows
    {
        private readonly RgbImage image;
        private readonly FilterTaps columns;
        private readonly (int First, int Count)[] weighted;
        private readonly float[] values;
        private readonly int[] held;

        public HorizontalRows(RgbImage image, FilterTaps columns, int capacity)
        {
            this.image = image;
            this.columns = columns;
            Length = (columns.LastOutput - columns.FirstOutput + 1) * 3;
            weighted = WeightedTaps(columns);
            values = new float[capacity * Length];
            held = [.. Enumerable.Repeat(-1, capacity)];
        }

        /// <summary>Values per row.</summary>
        public int Length { get; }

        /// <summary>Source row <paramref name="y"/>, filtered.</summary>
        public ReadOnlySpan<float> Row(int y)
        {
            int slot = y % held.Length;
            var row = values.AsSpan(slot * Length, Length);
            if (held[slot] != y)
            {
                Filter(image.Pixels.AsSpan(y * image.Width * 3, image.Width * 3), row);
                held[slot] = y;
            }
            return row;
        }

        /// <summary>Per output index, its first tap of non-zero weight and how many follow up to the last: the taps
        /// past them add nothing (zero times a pixel), so skipping them changes no sum.</summary>
        private static (int First, int Count)[] WeightedTaps(FilterTaps columns)
        {
            var result = new (int, int)[columns.LastOutput + 1];
            for (int x = columns.FirstOutput; x <= columns.LastOutput; x++)
            {
                var weights = columns.Weights.AsSpan(x * columns.Width, columns.Width);
                int first = weights.IndexOfAnyExcept(0f),
                    last = weights.LastIndexOfAnyExcept(0f);
                result[x] = ((x * columns.Width) + first, last - first + 1);
            }
            return result;
        }

        /// <summary>One source row filtered, one output pixel at a time.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Filter(ReadOnlySpan<byte> sourceRow, Span<float> targetRow)
        {
            for (int x = columns.FirstOutput; x <= columns.LastOutput; x++)
            {
                var (first, count) = weighted[x];
                var indices = columns.Indices.AsSpan(first, count);
                var weights = columns.Weights.AsSpan(first, count);
                float r = 0,
                    g = 0,
                    b = 0;
                for (int k = 0; k < indices.Length; k++)
                {
                    var pixel = sourceRow.Slice(indices[k] * 3, 3);
                    float w = weights[k];
                    r += pixel[0] * w;
                    g += pixel[1] * w;
                    b += pixel[2] * w;
                }
                var target = targetRow.Slice((x - columns.FirstOutput) * 3, 3);
                target[0] = r;
                target[1] = g;
                target[2] = b;
            }
        }
    }
}
