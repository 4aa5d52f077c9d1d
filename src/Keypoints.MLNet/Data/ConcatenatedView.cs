using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Data;

/// <summary>
/// A lazy view of several views' rows, one view after the other, with the first view's schema (its slot names too). The
/// views must have the same columns, of the same types, and the same keypoint layout. ML.NET 5 has no public way to
/// append rows (its <c>AppendRowsDataView</c> is internal), hence this small cursor.
/// </summary>
internal sealed class ConcatenatedView : IDataView
{
    private readonly IDataView[] parts;

    /// <summary>Appends <paramref name="parts"/> in order; <paramref name="layout"/> is their common keypoint
    /// layout.</summary>
    public ConcatenatedView(IDataView[] parts, KeypointLayout layout)
    {
        this.parts = parts;
        Layout = layout;
    }

    /// <summary>The keypoint layout that every part shares.</summary>
    public KeypointLayout Layout { get; }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema => parts[0].Schema;

    /// <inheritdoc/>
    public long? GetRowCount()
    {
        long total = 0;
        foreach (var part in parts)
        {
            if (part.GetRowCount() is not long count)
                return null;
            total += count;
        }
        return total;
    }

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(
        IEnumerable<DataViewSchema.Column> columnsNeeded,
        int n,
        Random? rand = null
    ) => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ConcatenatedView view;
        private readonly HashSet<int> active;
        private readonly Delegate?[] innerGetters;
        private DataViewRowCursor? current;
        private int part = -1;
        private long position = -1;

        public Cursor(ConcatenatedView view, HashSet<int> active)
        {
            this.view = view;
            this.active = active;
            innerGetters = new Delegate?[view.Schema.Count];
        }

        public override DataViewSchema Schema => view.Schema;

        public override long Position => position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override bool MoveNext()
        {
            while (current is null || !current.MoveNext())
            {
                current?.Dispose();
                current = null;
                if (++part >= view.parts.Length)
                    return false;
                var partSchema = view.parts[part].Schema;
                current = view.parts[part].GetRowCursor(active.Select(i => partSchema[i]));
                Array.Clear(innerGetters);
            }
            position++;
            return true;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested from this cursor.");
            int index = column.Index;
            return (ref TValue value) =>
            {
                var source = current ?? throw new InvalidOperationException("The cursor is not on a row.");
                var getter =
                    (ValueGetter<TValue>)(innerGetters[index] ??= source.GetGetter<TValue>(source.Schema[index]));
                getter(ref value);
            };
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)position, 0);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                current?.Dispose();
            current = null;
            base.Dispose(disposing);
        }
    }
}
