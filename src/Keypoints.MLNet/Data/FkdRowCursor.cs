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
    private readonly FkdCsvView _view;
    private readonly CsvReader _reader;
    private readonly bool[] _active;
    private long _position = -1;
    private bool _done;

    public FkdRowCursor(FkdCsvView view, CsvReader reader, bool[] active)
    {
        _view = view;
        _reader = reader;
        _active = active;
    }

    /// <inheritdoc/>
    public override DataViewSchema Schema => _view.Schema;

    /// <inheritdoc/>
    public override long Position => _position;

    /// <inheritdoc/>
    public override long Batch => 0;

    /// <inheritdoc/>
    public override bool MoveNext()
    {
        if (_done)
            return false;
        if (!FkdCsv.Read(_reader, _view.Path))
        {
            // As ML.NET's own cursors do: at the end the cursor releases its resources and has no position.
            Dispose();
            return false;
        }
        if (_reader.FieldCount != _view.FieldCount)
        {
            // Name the first field that is missing, or the first one too many.
            int field = Math.Min(_reader.FieldCount, _view.FieldCount);
            throw _view.FieldError(_reader.LineNumber, field, $"expected {_view.FieldCount} fields, found {_reader.FieldCount}.");
        }
        _position++;
        return true;
    }

    /// <inheritdoc/>
    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        (ref DataViewRowId value) =>
        {
            CheckOnRow();
            value = new DataViewRowId((ulong)_position, 0);
        };

    /// <inheritdoc/>
    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        CheckColumn(column);
        return _active[column.Index];
    }

    /// <inheritdoc/>
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (!IsColumnActive(column))
            throw new InvalidOperationException($"Column '{column.Name}' is not active in this cursor; ask for it when creating the cursor.");
        Delegate getter = column.Index == _view.ImageColumn ? (ValueGetter<VBuffer<float>>)GetImage
            : column.Index == _view.KeypointsColumn ? (ValueGetter<VBuffer<float>>)GetKeypoints
            : (ValueGetter<int>)GetImageId;
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}; it has no getter of {typeof(TValue).Name}.");
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (_done)
            return;
        _done = true;
        _position = -1;
        if (disposing)
            _reader.Dispose();
        base.Dispose(disposing);
    }

    private void GetImage(ref VBuffer<float> value)
    {
        CheckOnRow();
        var editor = VBufferEditor.Create(ref value, _view.PixelCount);
        if (!GreyLevelParser.TryParse(_reader.GetSpan(_view.ImageField), editor.Values, out var problem))
            throw _view.FieldError(_reader.LineNumber, _view.ImageField, problem);
        value = editor.Commit();
    }

    private void GetKeypoints(ref VBuffer<float> value)
    {
        CheckOnRow();
        var fields = _view.KeypointFields;
        var editor = VBufferEditor.Create(ref value, fields.Length);
        for (int i = 0; i < fields.Length; i++)
        {
            var text = _reader.GetSpan(fields[i]);
            if (text.IsEmpty)
            {
                editor.Values[i] = float.NaN;
            }
            else if (float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var coordinate) && float.IsFinite(coordinate))
            {
                editor.Values[i] = coordinate;
            }
            else
            {
                throw _view.FieldError(_reader.LineNumber, fields[i],
                    $"'{_reader.GetString(fields[i])}' is not a coordinate: expected a finite decimal number, or an empty field for a missing label.");
            }
        }
        value = editor.Commit();
    }

    private void GetImageId(ref int value)
    {
        CheckOnRow();
        var text = _reader.GetSpan(_view.ImageIdField);
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value))
            throw _view.FieldError(_reader.LineNumber, _view.ImageIdField, $"'{_reader.GetString(_view.ImageIdField)}' is not an integer image id.");
    }

    private void CheckOnRow()
    {
        if (_position < 0)
            throw new InvalidOperationException("The cursor is not on a row: call MoveNext first, and read values only while it returns true.");
    }

    private void CheckColumn(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= Schema.Count || !string.Equals(Schema[column.Index].Name, column.Name, StringComparison.Ordinal))
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not a column of this cursor's schema.");
    }
}
