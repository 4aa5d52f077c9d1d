using CsvHelper;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Data;

/// <summary>
/// The streaming data view over one Kaggle CSV file whose header <see cref="FkdCsv"/> has checked:
/// which field of a record feeds which column, and the schema. Each cursor reads the file again.
/// </summary>
internal sealed class FkdCsvView : IDataView
{
    // ML.NET's AnnotationUtils.Kinds.SlotNames is internal; this is its value, the kind that
    // SchemaAnnotationsExtensions.GetSlotNames and the built-in transforms read.
    private const string SlotNamesKind = "SlotNames";

    private readonly string[] header;

    private FkdCsvView(
        string path,
        string[] header,
        int imageField,
        int pixelCount,
        int imageIdField,
        int[] keypointFields
    )
    {
        Path = path;
        this.header = header;
        ImageField = imageField;
        PixelCount = pixelCount;
        ImageIdField = imageIdField;
        KeypointFields = keypointFields;

        var builder = new DataViewSchema.Builder();
        int next = 0;
        if (imageIdField >= 0)
        {
            builder.AddColumn(FkdCsv.ImageIdColumnName, NumberDataViewType.Int32);
            ImageIdColumn = next++;
        }
        builder.AddColumn(FkdCsv.ImageColumnName, new VectorDataViewType(NumberDataViewType.Single, PixelCount));
        ImageColumn = next++;
        if (keypointFields.Length > 0)
        {
            builder.AddColumn(
                FkdCsv.KeypointsColumnName,
                new VectorDataViewType(NumberDataViewType.Single, keypointFields.Length),
                SlotNames(keypointFields.Select(f => header[f]).ToArray())
            );
            KeypointsColumn = next;
        }
        Schema = builder.ToSchema();
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>The 0-based field of the grey levels.</summary>
    public int ImageField { get; }

    /// <summary>The number of grey levels per image.</summary>
    public int PixelCount { get; }

    /// <summary>The 0-based field of the image number, or -1.</summary>
    public int ImageIdField { get; }

    /// <summary>The 0-based fields of the coordinates, in coordinate order; empty for test files.</summary>
    public int[] KeypointFields { get; }

    /// <summary>The number of fields of every record.</summary>
    public int FieldCount => this.header.Length;

    /// <summary>The schema index of <c>ImageId</c>, or -1.</summary>
    public int ImageIdColumn { get; } = -1;

    /// <summary>The schema index of <c>Image</c>.</summary>
    public int ImageColumn { get; }

    /// <summary>The schema index of <c>Keypoints</c>, or -1.</summary>
    public int KeypointsColumn { get; } = -1;

    /// <inheritdoc/>
    public DataViewSchema Schema { get; }

    /// <inheritdoc/>
    public bool CanShuffle => false;

    /// <summary>A view of a labelled file: <c>Image</c> and <c>Keypoints</c>.</summary>
    public static FkdCsvView ForTraining(
        string path,
        string[] header,
        int imageField,
        int[] keypointFields,
        int imageWidth,
        int imageHeight
    ) => new(path, header, imageField, imageWidth * imageHeight, -1, keypointFields);

    /// <summary>A view of a test file: <c>ImageId</c> and <c>Image</c>.</summary>
    public static FkdCsvView ForTest(
        string path,
        string[] header,
        int imageIdField,
        int imageField,
        int imageWidth,
        int imageHeight
    ) => new(path, header, imageField, imageWidth * imageHeight, imageIdField, []);

    /// <inheritdoc/>
    public long? GetRowCount() => null;

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        bool[] active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            if (
                column.Index < 0
                || column.Index >= Schema.Count
                || !string.Equals(Schema[column.Index].Name, column.Name, StringComparison.Ordinal)
            )
            {
                throw new ArgumentException(
                    $"Column '{column.Name}' is not a column of the data view of '{Path}'.",
                    nameof(columnsNeeded)
                );
            }

            active[column.Index] = true;
        }
        return new FkdRowCursor(this, OpenReader(), active);
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(
        IEnumerable<DataViewSchema.Column> columnsNeeded,
        int n,
        Random? rand = null
    ) => [GetRowCursor(columnsNeeded, rand)];

    /// <summary>An exception for a problem with field <paramref name="field"/> (0-based) of the record at <paramref
    /// name="line"/>.</summary>
    public KeypointDataException FieldError(long line, int field, string problem) =>
        new(Path, line, field + 1, field < this.header.Length ? this.header[field] : null, problem);

    /// <summary>Opens the file and reads past the header, which must still be the one that was checked at
    /// load.</summary>
    private CsvReader OpenReader()
    {
        var reader = FkdCsv.OpenWithHeader(Path, out string[]? header, out long headerLine);
        if (!header.AsSpan().SequenceEqual(this.header))
        {
            reader.Dispose();
            throw new KeypointDataException(
                Path,
                headerLine,
                null,
                null,
                "the header has changed since the file was loaded."
            );
        }
        return reader;
    }

    private static DataViewSchema.Annotations SlotNames(string[] names)
    {
        var slotNames = names.Select(n => n.AsMemory()).ToArray();
        var builder = new DataViewSchema.Annotations.Builder();
        builder.Add(
            SlotNamesKind,
            new VectorDataViewType(TextDataViewType.Instance, slotNames.Length),
            (ref VBuffer<ReadOnlyMemory<char>> destination) =>
            {
                var editor = VBufferEditor.Create(ref destination, slotNames.Length);
                slotNames.CopyTo(editor.Values);
                destination = editor.Commit();
            }
        );
        return builder.ToAnnotations();
    }
}
