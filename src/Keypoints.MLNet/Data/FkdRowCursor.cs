using System.Globalization;
using CsvHelper;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Data;

/// <summary>
/// A forward cursor over the records of a Kaggle CSV file. It holds the file open and parses a
/// field only when the getter of its column is called, straight from the reader's buffer into the
/// caller's <see cref="VBuffer{T}"/>.
/// </summary>
internal sealed class FkdRowCursor : DataViewRowCursor
{
    private readonly FkdCsvView view;
    private readonly CsvReader reader;
    private readonly bool[] active;
    private long position = -1;
    private bool done;

    public FkdRowCursor(FkdCsvView view, CsvReader reader, bool[] active)
    {
        this.view = view;
        this.reader = reader;
        this.active = active;
    }

    /// <inheritdoc/>
    public override DataViewSchema Schema => this.view.Schema;

    /// <inheritdoc/>
    public override long Position => this.position;

    /// <inheritdoc/>
    public override long Batch => 0;

    /// <inheritdoc/>
    public override bool MoveNext()
    {
        if (done)
            return false;
        if (!FkdCsv.Read(this.reader, this.view.Path))
        {
            // As ML.NET's own cursors do: at the end the cursor releases its resources and has no position.
            Dispose();
            return false;
        }
        if (this.reader.FieldCount != this.view.FieldCount)
        {
            // Name the first field that is missing, or the first one too many.
            int field = Math.Min(this.reader.FieldCount, this.view.FieldCount);
            throw this.view.FieldError(
                this.reader.LineNumber,
                field,
                $"expected {this.view.FieldCount} fields, found {this.reader.FieldCount}."
            );
        }
        this.position++;
        return true;
    }

    /// <inheritdoc/>
    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        (ref DataViewRowId value) =>
        {
            CheckOnRow();
            value = new DataViewRowId((ulong)this.position, 0);
        };

    /// <inheritdoc/>
    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        CheckColumn(column);
        return this.active[column.Index];
    }

    /// <inheritdoc/>
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
        {
            throw new InvalidOperationException(
                $"Column '{column.Name}' is not active in this cursor; ask for it when creating the cursor."
            );
        }

        Delegate getter =
            column.Index == this.view.ImageColumn ? (ValueGetter<VBuffer<float>>)GetImage
            : column.Index == this.view.KeypointsColumn ? (ValueGetter<VBuffer<float>>)GetKeypoints
            : (ValueGetter<int>)GetImageId;
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException(
                $"Column '{column.Name}' has type {column.Type}; it has no getter of {typeof(TValue).Name}."
            );
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (done)
            return;
        done = true;
        this.position = -1;
        if (disposing)
            this.reader.Dispose();
        base.Dispose(disposing);
    }

    private void GetImage(ref VBuffer<float> value)
    {
        CheckOnRow();
        var editor = VBufferEditor.Create(ref value, this.view.PixelCount);
        if (!GreyLevelParser.TryParse(this.reader.GetSpan(this.view.ImageField), editor.Values, out string? problem))
            throw this.view.FieldError(this.reader.LineNumber, this.view.ImageField, problem);
        value = editor.Commit();
    }

    private void GetKeypoints(ref VBuffer<float> value)
    {
        CheckOnRow();
        int[] fields = this.view.KeypointFields;
        var editor = VBufferEditor.Create(ref value, fields.Length);
        for (int i = 0; i < fields.Length; i++)
        {
            var text = this.reader.GetSpan(fields[i]);
            if (text.IsEmpty)
            {
                editor.Values[i] = float.NaN;
            }
            else if (
                float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float coordinate)
                && float.IsFinite(coordinate)
            )
            {
                editor.Values[i] = coordinate;
            }
            else
            {
                throw this.view.FieldError(
                    this.reader.LineNumber,
                    fields[i],
                    $"'{this.reader.GetString(fields[i])}' is not a coordinate: expected a finite decimal number, or "
                        + $"an empty field for a missing label."
                );
            }
        }
        value = editor.Commit();
    }

    private void GetImageId(ref int value)
    {
        CheckOnRow();
        var text = this.reader.GetSpan(this.view.ImageIdField);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
        {
            throw this.view.FieldError(
                this.reader.LineNumber,
                this.view.ImageIdField,
                $"'{this.reader.GetString(this.view.ImageIdField)}' is not an integer image id."
            );
        }
    }

    private void CheckOnRow()
    {
        if (this.position < 0)
        {
            throw new InvalidOperationException(
                "The cursor is not on a row: call MoveNext first, and read values only while it returns true."
            );
        }
    }

    private void CheckColumn(DataViewSchema.Column column)
    {
        if (
            column.Index < 0
            || column.Index >= Schema.Count
            || !string.Equals(Schema[column.Index].Name, column.Name, StringComparison.Ordinal)
        )
        {
            throw new ArgumentOutOfRangeException(
                nameof(column),
                $"Column '{column.Name}' is not a column of this cursor's schema."
            );
        }
    }
}
