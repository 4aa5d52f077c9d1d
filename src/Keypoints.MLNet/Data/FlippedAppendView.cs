using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Data;

/// <summary>
/// A lazy view of a source's rows followed by the same rows mirrored left to right: the image
/// column's pixel rows are reversed in every channel (CHW), x coordinates become (W - 1 + 2a - x), with a the labels'
/// mirror axis offset, and left/right keypoints trade places. Other columns pass through unchanged.
/// </summary>
internal sealed class FlippedAppendView : IDataView
{
    private readonly IDataView source;
    private readonly DataViewSchema.Column image;
    private readonly DataViewSchema.Column label;
    private readonly KeypointLayout layout;
    private readonly double axisOffset;

    /// <summary>Doubles <paramref name="source"/> with mirrored copies of <paramref name="image"/> and <paramref
    /// name="label"/>, mirroring the labels about an axis <paramref name="axisOffset"/> pixels right of the image's
    /// center line.</summary>
    public FlippedAppendView(
        IDataView source,
        DataViewSchema.Column image,
        DataViewSchema.Column label,
        KeypointLayout layout,
        double axisOffset = 0
    )
    {
        this.source = source;
        this.image = image;
        this.label = label;
        this.layout = layout;
        this.axisOffset = axisOffset;
    }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema => source.Schema;

    /// <inheritdoc/>
    public long? GetRowCount() => source.GetRowCount() * 2;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.ToArray());

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(
        IEnumerable<DataViewSchema.Column> columnsNeeded,
        int n,
        Random? rand = null
    ) => [GetRowCursor(columnsNeeded, rand)];

    /// <summary>Mirrors a CHW image of <paramref name="width"/>-pixel rows in place.</summary>
    internal static void FlipImage(Span<float> pixels, int width)
    {
        for (int start = 0; start < pixels.Length; start += width)
            pixels.Slice(start, width).Reverse();
    }

    /// <summary>Mirrors interleaved x, y coordinates into <paramref name="destination"/> for <paramref name="layout"/>,
    /// about an axis <paramref name="axisOffset"/> pixels right of the image's center line.</summary>
    internal static void FlipCoordinates(
        ReadOnlySpan<float> source,
        Span<float> destination,
        KeypointLayout layout,
        double axisOffset = 0
    )
    {
        float axis = (float)(layout.ImageWidth - 1 + 2 * axisOffset);
        for (int k = 0; k < layout.KeypointCount; k++)
        {
            int from = layout.FlipPermutation[k];
            destination[2 * k] = axis - source[2 * from];
            destination[2 * k + 1] = source[2 * from + 1];
        }
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly FlippedAppendView view;
        private readonly DataViewSchema.Column[] columns;
        private readonly HashSet<int> active;
        private DataViewRowCursor current;
        private bool mirrored;
        private readonly Func<bool> moveNextRow; // one delegate per cursor, not one per row
        private long position = -1;

        public Cursor(FlippedAppendView view, DataViewSchema.Column[] columns)
        {
            moveNextRow = MoveNextRow;
            this.view = view;
            this.columns = columns;
            active = columns.Select(c => c.Index).ToHashSet();
            current = view.source.GetRowCursor(columns);
        }

        public override DataViewSchema Schema => view.Schema;

        public override long Position => position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            // The getters must survive the switch to the second pass, so they look the inner getter up per call
            // (cached per pass) instead of binding to the first pass's cursor.
            DataViewRowCursor? boundTo = null;
            ValueGetter<TValue>? inner = null;
            ValueGetter<TValue> Inner()
            {
                if (!ReferenceEquals(boundTo, current))
                {
                    boundTo = current;
                    inner = current.GetGetter<TValue>(column);
                }
                return inner!;
            }
            if (column.Index == view.image.Index && typeof(TValue) == typeof(VBuffer<float>))
            {
                return (ValueGetter<TValue>)
                    (object)MirroredGetter(isImage: true, () => (ValueGetter<VBuffer<float>>)(object)Inner());
            }

            if (column.Index == view.label.Index && typeof(TValue) == typeof(VBuffer<float>))
            {
                return (ValueGetter<TValue>)
                    (object)MirroredGetter(isImage: false, () => (ValueGetter<VBuffer<float>>)(object)Inner());
            }

            return (ref TValue value) => Inner()(ref value);
        }

        private ValueGetter<VBuffer<float>> MirroredGetter(bool isImage, Func<ValueGetter<VBuffer<float>>> innerGetter)
        {
            VBuffer<float> scratch = default;
            return (ref VBuffer<float> value) =>
            {
                if (!mirrored)
                {
                    innerGetter()(ref value);
                    return;
                }
                innerGetter()(ref scratch);
                var editor = VBufferEditor.Create(ref value, scratch.Length);
                scratch.CopyTo(editor.Values);
                if (isImage)
                {
                    FlipImage(editor.Values, view.layout.ImageWidth);
                }
                else
                {
                    float[] original = editor.Values.ToArray();
                    FlipCoordinates(original, editor.Values, view.layout, view.axisOffset);
                }
                value = editor.Commit();
            };
        }

        // The source may be a transformed view whose cursor wraps a data file's error; the reader of this view gets it
        // unwrapped.
        public override bool MoveNext() => WrappedDataError.Unwrap(moveNextRow);

        private bool MoveNextRow()
        {
            if (current.MoveNext())
            {
                position++;
                return true;
            }
            if (mirrored)
                return false;
            current.Dispose();
            current = view.source.GetRowCursor(columns);
            mirrored = true;
            if (!current.MoveNext())
                return false;
            position++;
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                current.Dispose();
            base.Dispose(disposing);
        }
    }
}
