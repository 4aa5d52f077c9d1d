using CsvHelper;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;

namespace Keypoints.MLNet.Data;

/// <summary>
/// Reads the CSV files of the Kaggle "Facial Keypoints Detection" competition as streaming
/// <see cref="IDataView"/>s.
/// </summary>
/// <remarks>
/// <para>File format. A header row, then one row per face:</para>
/// <list type="bullet">
/// <item><c>training.csv</c>, <c>validation.csv</c>: <c>&lt;name&gt;_x,&lt;name&gt;_y</c> column pairs, one per
/// keypoint, in pixels of the image (decimal numbers, invariant culture; an empty field is a missing
/// label), and an <c>Image</c> column, normally last.</item>
/// <item><c>test.csv</c>: <c>ImageId</c> (an integer) and <c>Image</c>.</item>
/// </list>
/// <para><c>Image</c> holds the grey levels 0-255 of a <c>width x height</c> image, row-major, as integers
/// separated by spaces.</para>
/// <para>The loaders read and check the header at once, so a wrong file fails at load; rows are read,
/// and checked, only as a cursor reaches them. Every cursor reads the file again from disk, parsing
/// only the columns it was asked for. Errors are <see cref="KeypointDataException"/>s that name the file,
/// line and column.</para>
/// </remarks>
public static class FkdCsv
{
    /// <summary>The name of the column of grey levels, in the file and in the data view.</summary>
    public const string ImageColumnName = "Image";

    /// <summary>The name of the data view column of keypoint coordinates.</summary>
    public const string KeypointsColumnName = "Keypoints";

    /// <summary>The name of the image number column of <c>test.csv</c>, in the file and in the data view.</summary>
    public const string ImageIdColumnName = "ImageId";

    // The Kaggle files are plain comma-separated text; detection could mistake the spaces of
    // Image for something else, and line numbers are what every error message needs.
    private static readonly CsvReaderOptions ReaderOptions = CsvReaderOptions.Default with
    {
        Separator = ',',
        HasHeader = true,
        DetectSeparatorHint = false,
        TrackLineNumbers = true,
        MalformedData = CsvMalformedDataHandling.Throw,
        // A row is about 35 KB; a larger buffer means fewer reads and fewer buffer shifts.
        BufferSize = 1 << 20,
    };

    /// <summary>
    /// Loads a labelled file such as <c>training.csv</c> or <c>validation.csv</c>.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="imageWidth">The width in pixels of the images (96 in the competition).</param>
    /// <param name="imageHeight">The height in pixels of the images (96 in the competition).</param>
    /// <returns>A data view with the columns <c>Image</c>, <c>Vector&lt;Single, imageWidth * imageHeight&gt;</c>
    /// of grey levels 0-255, row-major; and <c>Keypoints</c>, <c>Vector&lt;Single, 2K&gt;</c> of coordinates
    /// <c>x0, y0, x1, y1, ...</c> in pixels in the order of the header, <see cref="float.NaN"/> where a label is
    /// missing, with the coordinate column names as slot names. Its <see cref="FkdDataView.Layout"/> is
    /// <see cref="KeypointLayout.Kaggle15"/> when the header has the competition's 30 columns.</returns>
    /// <exception cref="KeypointDataException">The file is empty or has no rows, has no <c>Image</c> column, no
    /// keypoint columns, a column name twice, or keypoint columns that are not <c>_x</c>/<c>_y</c> pairs.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static FkdDataView LoadTraining(string path, int imageWidth = 96, int imageHeight = 96)
    {
        var (fullPath, header, headerLine) = ReadHeader(path, imageWidth, imageHeight);
        int imageField = FindColumn(fullPath, header, headerLine, ImageColumnName);
        int[] keypointFields = Enumerable.Range(0, header.Length).Where(f => f != imageField).ToArray();
        if (keypointFields.Length == 0)
        {
            throw new KeypointDataException(
                fullPath,
                headerLine,
                null,
                null,
                "the header has no keypoint columns, only Image."
            );
        }
        // FromCoordinateColumns checks the pairs too, but only knows positions among the keypoint
        // columns; checking here lets the error name the file's own column.
        for (int i = 0; i < keypointFields.Length; i += 2)
        {
            int xField = keypointFields[i];
            string x = header[xField];
            if (i + 1 == keypointFields.Length)
            {
                throw new KeypointDataException(
                    fullPath,
                    headerLine,
                    xField + 1,
                    x,
                    "keypoint column has no '_y' column after it."
                );
            }

            string y = header[keypointFields[i + 1]];
            if (
                !x.EndsWith("_x", StringComparison.Ordinal)
                || !y.EndsWith("_y", StringComparison.Ordinal)
                || !string.Equals(x[..^2], y[..^2], StringComparison.Ordinal)
            )
            {
                throw new KeypointDataException(
                    fullPath,
                    headerLine,
                    xField + 1,
                    x,
                    $"expected a '<name>_x,<name>_y' column pair, found '{x}', '{y}'."
                );
            }
        }
        string[] coordinateNames = keypointFields.Select(f => header[f]).ToArray();
        var layout = KeypointLayout.FromCoordinateColumns(
            Path.GetFileNameWithoutExtension(fullPath),
            coordinateNames,
            imageWidth,
            imageHeight
        );
        RequireRows(fullPath);
        var view = FkdCsvView.ForTraining(fullPath, header, imageField, keypointFields, imageWidth, imageHeight);
        return new FkdDataView(view, layout);
    }

    /// <summary>
    /// Loads an unlabelled file such as <c>test.csv</c>, whose header is <c>ImageId,Image</c> (in either order).
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="imageWidth">The width in pixels of the images (96 in the competition).</param>
    /// <param name="imageHeight">The height in pixels of the images (96 in the competition).</param>
    /// <returns>A data view with the columns <c>ImageId</c>, <c>Int32</c>, and <c>Image</c>,
    /// <c>Vector&lt;Single, imageWidth * imageHeight&gt;</c> of grey levels 0-255, row-major.</returns>
    /// <exception cref="KeypointDataException">The file is empty or has no rows, lacks <c>ImageId</c> or <c>Image</c>,
    /// or has another column.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IDataView LoadTest(string path, int imageWidth = 96, int imageHeight = 96)
    {
        var (fullPath, header, headerLine) = ReadHeader(path, imageWidth, imageHeight);
        int imageIdField = FindColumn(fullPath, header, headerLine, ImageIdColumnName);
        int imageField = FindColumn(fullPath, header, headerLine, ImageColumnName);
        // A test file with other columns is most likely a labelled file passed here by mistake.
        for (int f = 0; f < header.Length; f++)
        {
            if (f != imageIdField && f != imageField)
            {
                throw new KeypointDataException(
                    fullPath,
                    headerLine,
                    f + 1,
                    header[f],
                    "a test file has only the columns ImageId and Image; use LoadTraining for labelled files."
                );
            }
        }
        RequireRows(fullPath);
        return FkdCsvView.ForTest(fullPath, header, imageIdField, imageField, imageWidth, imageHeight);
    }

    /// <summary>Opens a CSV file of this format and reads its header.</summary>
    /// <exception cref="KeypointDataException">The file is empty or its header is malformed.</exception>
    internal static CsvReader OpenWithHeader(string path, out string[] header, out long headerLine)
    {
        var reader = CsvReader.FromFile(path, ReaderOptions, FileOptions.SequentialScan);
        try
        {
            reader.ReadHeader();
            header = reader.Headers.ToArray();
            headerLine = reader.LineNumber;
        }
        catch (CsvFormatException e)
        {
            reader.Dispose();
            throw Malformed(path, e);
        }
        if (header.Length == 0)
        {
            reader.Dispose();
            throw new KeypointDataException(path, 1, null, null, "the file is empty; expected a header row.");
        }
        return reader;
    }

    /// <summary>Moves <paramref name="reader"/> to the next record, reporting malformed CSV with the file's
    /// name.</summary>
    internal static bool Read(CsvReader reader, string path)
    {
        try
        {
            return reader.Read();
        }
        catch (CsvFormatException e)
        {
            throw Malformed(path, e);
        }
    }

    /// <summary>The 0-based index of the one header column named <paramref name="name"/>.</summary>
    internal static int FindColumn(string path, string[] header, long headerLine, string name)
    {
        int field = Array.IndexOf(header, name);
        if (field < 0)
        {
            throw new KeypointDataException(
                path,
                headerLine,
                null,
                name,
                $"the header has no {name} column; found {string.Join(",", header)}."
            );
        }

        return field;
    }

    private static (string FullPath, string[] Header, long HeaderLine) ReadHeader(
        string path,
        int imageWidth,
        int imageHeight
    )
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageHeight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(
            (long)imageWidth * imageHeight,
            Array.MaxLength,
            nameof(imageHeight)
        );
        string fullPath = Path.GetFullPath(path);
        using var reader = OpenWithHeader(fullPath, out string[]? header, out long headerLine);
        for (int f = 0; f < header.Length; f++)
        {
            int first = Array.IndexOf(header, header[f]);
            if (first != f)
            {
                throw new KeypointDataException(
                    fullPath,
                    headerLine,
                    f + 1,
                    header[f],
                    $"column name repeats column {first + 1}."
                );
            }
        }
        return (fullPath, header, headerLine);
    }

    /// <summary>The problem of a file that has a header and no data rows.</summary>
    internal const string NoRowsProblem = "the file has a header but no rows.";

    /// <summary>Fails unless the file has a row after its header. Rows are streamed later, but a file without any would
    /// evaluate to NaN metrics and make an empty submission.</summary>
    private static void RequireRows(string fullPath)
    {
        using var reader = OpenWithHeader(fullPath, out _, out long headerLine);
        if (!Read(reader, fullPath))
            throw new KeypointDataException(fullPath, headerLine, null, null, NoRowsProblem);
    }

    private static KeypointDataException Malformed(string path, CsvFormatException e) =>
        new(path, e.LineNumber, e.FieldIndex >= 0 ? e.FieldIndex + 1 : null, null, "malformed CSV: " + e.Message, e);
}
