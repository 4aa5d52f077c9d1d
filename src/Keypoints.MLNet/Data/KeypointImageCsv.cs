using System.Globalization;
using CsvHelper;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Data;

/// <summary>
/// Reads a keypoint CSV of image files, such as <c>landmarks68/train.csv</c>.
/// </summary>
/// <remarks>
/// <para>File format: a header <c>image,&lt;coordinates&gt;</c>, where the coordinates are numbered pairs
/// <c>x0,y0,x1,y1,...</c> (68 pairs give <see cref="KeypointLayout.Ibug68"/>) or named pairs
/// <c>&lt;name&gt;_x,&lt;name&gt;_y</c> (flip pairs found from <c>left</c>/<c>right</c> in the names); then one row per
/// face: the image path relative to the CSV's folder and the coordinates in pixels of that image (invariant culture,
/// pixel centers at integer coordinates; an empty field is a missing label).</para>
/// <para>The whole file is read and checked at load: every image must exist, have a readable header (JPEG, PNG,
/// BMP, GIF, WebP), declare a size within the <see cref="ImageDecodeLimits"/> and decode whole, and every coordinate
/// must lie inside its image (within half a pixel of the border pixel centers). Errors are <see
/// cref="KeypointDataException"/>s naming the CSV file, line, column and, for images, the image file.</para>
/// </remarks>
public static class KeypointImageCsv
{
    /// <summary>The header name of the image path column in the file.</summary>
    public const string ImageFieldName = "image";

    /// <summary>The data view column of full image paths.</summary>
    public const string ImagePathColumnName = "ImagePath";

    /// <summary>Whether the CSV at <paramref name="path"/> is of this format: its first header field is
    /// <c>image</c>.</summary>
    public static bool HasImageHeader(string path)
    {
        using var reader = FkdCsv.OpenWithHeader(Path.GetFullPath(path), out string[]? header, out _);
        return header[0] == ImageFieldName;
    }

    /// <summary>Loads and checks the file.</summary>
    /// <param name="catalog">The data catalog of the <see cref="MLContext"/> that builds the data view.</param>
    /// <param name="path">The CSV file.</param>
    /// <param name="limits">The largest image accepted; null for <see cref="ImageDecodeLimits.Default"/>. An
    /// image-file model's chain checks its images against the default whatever the loader accepted (a saved ML.NET
    /// custom mapping carries no settings).</param>
    /// <returns>Columns <c>ImagePath</c> (text) and <c>Keypoints</c> (<c>Vector&lt;Single, 2K&gt;</c>, slot names from
    /// the header).</returns>
    /// <exception cref="KeypointDataException">The header or a row is malformed, an image is missing, unreadable,
    /// over the limits, truncated or corrupt, or a keypoint lies outside its image.</exception>
    public static KeypointImageDataView Load(
        DataOperationsCatalog catalog,
        string path,
        ImageDecodeLimits? limits = null
    )
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        using var reader = FkdCsv.OpenWithHeader(fullPath, out string[]? header, out long headerLine);
        if (header[0] != ImageFieldName)
        {
            throw new KeypointDataException(
                fullPath,
                headerLine,
                1,
                header[0],
                $"the first column of an image-file CSV must be '{ImageFieldName}'."
            );
        }

        var file = new CsvFile(fullPath, Path.GetDirectoryName(fullPath)!, header, limits ?? ImageDecodeLimits.Default);
        var rows = new List<Row>();
        (int Width, int Height)? firstSize = null;
        while (FkdCsv.Read(reader, fullPath))
        {
            var image = ReadImage(reader, file);
            firstSize ??= (image.Width, image.Height);
            rows.Add(new Row { ImagePath = image.FullPath, Keypoints = ReadCoordinates(reader, file, image) });
        }
        if (rows.Count == 0)
            throw new KeypointDataException(fullPath, headerLine, null, null, FkdCsv.NoRowsProblem);

        string[] coordinateNames = header[1..];
        var layout = CreateLayout(file, headerLine, firstSize!.Value);
        var view = catalog.LoadFromEnumerable(rows, CreateSchema(coordinateNames));
        return new KeypointImageDataView(view, layout, fullPath, rows.Select(r => r.ImagePath).ToArray());
    }

    private static RowImage ReadImage(CsvReader reader, CsvFile file)
    {
        long line = reader.LineNumber;
        if (reader.FieldCount != file.Header.Length)
        {
            throw new KeypointDataException(
                file.FullPath,
                line,
                null,
                null,
                $"expected {file.Header.Length} fields, found {reader.FieldCount}."
            );
        }

        string relative = reader.GetString(0) ?? "";
        string imagePath = Path.GetFullPath(Path.Combine(file.Folder, relative));
        try
        {
            var (width, height) = GuardedImageDecoder.Verify(imagePath, file.Limits);
            return new RowImage(relative, imagePath, width, height);
        }
        catch (Exception e) when (e is InvalidDataException or FileNotFoundException)
        {
            throw new KeypointDataException(file.FullPath, line, 1, ImageFieldName, e.Message, e);
        }
    }

    /// <summary>The current row's coordinates in pixels (NaN where empty), each checked to lie inside <paramref
    /// name="image"/>.</summary>
    private static float[] ReadCoordinates(CsvReader reader, CsvFile file, RowImage image)
    {
        long line = reader.LineNumber;
        float[] values = new float[file.Header.Length - 1];
        for (int c = 0; c < values.Length; c++)
        {
            string field = reader.GetString(c + 1);
            if (string.IsNullOrWhiteSpace(field))
            {
                values[c] = float.NaN;
                continue;
            }
            if (
                !float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
                || !float.IsFinite(value)
            )
            {
                throw new KeypointDataException(
                    file.FullPath,
                    line,
                    c + 2,
                    file.Header[c + 1],
                    $"'{field}' is not a number."
                );
            }

            float limit = (c % 2 == 0 ? image.Width : image.Height) - 0.5f;
            if (value < -0.5f || value > limit)
            {
                throw new KeypointDataException(
                    file.FullPath,
                    line,
                    c + 2,
                    file.Header[c + 1],
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{value} lies outside the {image.Width} x {image.Height} image '{image.Relative}' (allowed "
                            + $"-0.5 to {limit})."
                    )
                );
            }

            values[c] = value;
        }
        return values;
    }

    private static KeypointLayout CreateLayout(CsvFile file, long headerLine, (int Width, int Height) size)
    {
        try
        {
            return KeypointLayout.FromCoordinateColumns(
                Path.GetFileNameWithoutExtension(file.FullPath),
                file.Header[1..],
                size.Width,
                size.Height
            );
        }
        catch (FormatException e)
        {
            throw new KeypointDataException(file.FullPath, headerLine, null, null, e.Message, e);
        }
    }

    private static SchemaDefinition CreateSchema(string[] coordinateNames)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        var keypoints = schema[nameof(Row.Keypoints)];
        keypoints.ColumnType = new VectorDataViewType(NumberDataViewType.Single, coordinateNames.Length);
        var slotNames = new VBuffer<ReadOnlyMemory<char>>(
            coordinateNames.Length,
            coordinateNames.Select(n => n.AsMemory()).ToArray()
        );
        keypoints.AddAnnotation(
            "SlotNames",
            slotNames,
            new VectorDataViewType(TextDataViewType.Instance, coordinateNames.Length)
        );
        return schema;
    }

    /// <summary>The CSV being read: its full path, its folder (image paths are relative to it), its header and the
    /// largest image it may name.</summary>
    private sealed record CsvFile(string FullPath, string Folder, string[] Header, ImageDecodeLimits Limits);

    /// <summary>The image of one row: its path as written and in full, and its size in pixels.</summary>
    private sealed record RowImage(string Relative, string FullPath, int Width, int Height);

    /// <summary>One checked row.</summary>
    private sealed class Row
    {
        public string ImagePath { get; set; } = "";

        public float[] Keypoints { get; set; } = [];
    }
}
