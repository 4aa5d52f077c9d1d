using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Data;

/// <summary>
/// A lazy view of the rows of a source whose label column has every required coordinate present
/// (not NaN). Columns and their types are the source's; only the row count changes.
/// </summary>
internal sealed class MissingKeypointFilter : IDataView
{
    private readonly IDataView source;
    private readonly DataViewSchema.Column label;
    private readonly int[] requiredCoordinates;

    /// <summary>Keeps rows of <paramref name="source"/> where every coordinate index in <paramref
    /// name="requiredCoordinates"/> of <paramref name="label"/> is present.</summary>
    public MissingKeypointFilter(IDataView source, DataViewSchema.Column label, int[] requiredCoordinates)
    {
        this.source = source;
        this.label = label;
        this.requiredCoordinates = requiredCoordinates;
    }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <inheritdoc/>
    public DataViewSchema Schema => source.Schema;

    /// <inheritdoc/>
    public long? GetRowCount() => null;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var inner = source.GetRowCursor(needed.Append(label).Distinct(), rand);
        return new Cursor(inner, label, requiredCoordinates, needed.Select(c => c.Index).ToHashSet());
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(
        IEnumerable<DataViewSchema.Column> columnsNeeded,
        int n,
        Random? rand = null
    ) => [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor inner;
        private readonly ValueGetter<VBuffer<float>> getLabel;
        private readonly int[] required;
        private readonly HashSet<int> active;
        private VBuffer<float> buffer;
        private readonly Func<bool> moveNextRow; // one delegate per cursor, not one per row
        private long position = -1;

        public Cursor(DataViewRowCursor inner, DataViewSchema.Column label, int[] required, HashSet<int> active)
        {
            moveNextRow = MoveNextRow;
            this.inner = inner;
            this.required = required;
            this.active = active;
            getLabel = inner.GetGetter<VBuffer<float>>(label);
        }

        public override DataViewSchema Schema => inner.Schema;

        public override long Position => position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            inner.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        // The source may be a transformed view whose cursor wraps a data file's error; the reader of this view gets it
        // unwrapped.
        public override bool MoveNext() => WrappedDataError.Unwrap(moveNextRow);

        private bool MoveNextRow()
        {
            while (inner.MoveNext())
            {
                getLabel(ref buffer);
                if (IsComplete())
                {
                    position++;
                    return true;
                }
            }
            return false;
        }

        private bool IsComplete()
        {
            // A sparse slot that is not stored is 0, which is a present coordinate.
            foreach (int i in required)
            {
                if (float.IsNaN(buffer.GetItemOrDefault(i)))
                    return false;
            }
            return true;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
