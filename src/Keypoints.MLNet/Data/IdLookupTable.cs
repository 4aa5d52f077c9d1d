using System.Globalization;

namespace Keypoints.MLNet.Data;

/// <summary>
/// The Kaggle <c>IdLookupTable.csv</c>: which coordinate of which test image each submission row holds.
/// </summary>
/// <remarks>
/// File format: header <c>RowId,ImageId,FeatureName,Location</c> (columns in any order; <c>Location</c> is
/// empty and optional), then one row per coordinate to predict. <c>RowId</c> and <c>ImageId</c> are integers,
/// <c>FeatureName</c> a coordinate column name such as <c>nose_tip_y</c>.
/// </remarks>
public sealed class IdLookupTable
{
    private const string RowIdColumnName = "RowId";
    private const string FeatureNameColumnName = "FeatureName";

    /// <summary>Creates a table from entries, for example to submit a subset of the coordinates.</summary>
    /// <param name="entries">The entries, in submission order.</param>
    /// <exception cref="ArgumentException">Two entries have the same <see cref="IdLookupEntry.RowId"/>.</exception>
    public IdLookupTable(IEnumerable<IdLookupEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = entries.ToArray();
        var rowIds = new HashSet<int>();
        foreach (var entry in Entries)
        {
            if (!rowIds.Add(entry.RowId))
                throw new ArgumentException($"RowId {entry.RowId} appears more than once.", nameof(entries));
        }
    }

    /// <summary>The entries in file order, which is the order of the submission's rows.</summary>
    public IReadOnlyList<IdLookupEntry> Entries { get; }

    /// <summary>Reads an <c>IdLookupTable.csv</c> file.</summary>
    /// <param name="path">The CSV file.</param>
    /// <returns>The table, with the entries in file order.</returns>
    /// <exception cref="KeypointDataException">The file is empty or has no rows, lacks a column, has a row with the
    /// wrong number of fields, a <c>RowId</c> or <c>ImageId</c> that is not an integer, an empty <c>FeatureName</c>, or
    /// a
    /// <c>RowId</c> twice.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IdLookupTable Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        using var reader = FkdCsv.OpenWithHeader(fullPath, out string[]? header, out long headerLine);
        int rowIdField = FkdCsv.FindColumn(fullPath, header, headerLine, RowIdColumnName);
        int imageIdField = FkdCsv.FindColumn(fullPath, header, headerLine, FkdCsv.ImageIdColumnName);
        int featureField = FkdCsv.FindColumn(fullPath, header, headerLine, FeatureNameColumnName);

        KeypointDataException Error(int field, string problem) =>
            new(fullPath, reader.LineNumber, field + 1, field < header.Length ? header[field] : null, problem);
        int ParseInteger(int field)
        {
            if (!int.TryParse(reader.GetSpan(field), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
                throw Error(field, $"'{reader.GetString(field)}' is not an integer.");
            return value;
        }

        var entries = new List<IdLookupEntry>();
        var rowIdLines = new Dictionary<int, long>();
        while (FkdCsv.Read(reader, fullPath))
        {
            if (reader.FieldCount != header.Length)
            {
                throw Error(
                    Math.Min(reader.FieldCount, header.Length),
                    $"expected {header.Length} fields, found {reader.FieldCount}."
                );
            }

            int rowId = ParseInteger(rowIdField);
            int imageId = ParseInteger(imageIdField);
            if (reader.IsEmpty(featureField))
                throw Error(featureField, "the feature name is empty.");
            if (!rowIdLines.TryAdd(rowId, reader.LineNumber))
                throw Error(rowIdField, $"RowId {rowId} is also on line {rowIdLines[rowId]}.");
            entries.Add(new IdLookupEntry(rowId, imageId, reader.GetString(featureField)));
        }
        if (entries.Count == 0)
            throw new KeypointDataException(fullPath, headerLine, null, null, FkdCsv.NoRowsProblem);
        return new IdLookupTable(entries);
    }
}
