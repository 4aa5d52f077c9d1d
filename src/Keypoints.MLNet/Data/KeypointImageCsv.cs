using System.Globalization;
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
/// <para>The whole file is read and checked at load: every image must exist and have a readable header (JPEG, PNG,
/// BMP, GIF, WebP), and every coordinate must lie inside its image (within half a pixel of the border pixel centers).
/// Errors are <see cref="KeypointDataException"/>s naming the CSV file, line, column and, for images, the image file.</para>
/// </remarks>
public static class KeypointImageCsv
{
    /// <summary>The header name of the image path column in the file.</summary>
    public const string ImageFieldName = "image";

    /// <summary>The data view column of full image paths.</summary>
    public const string ImagePathColumnName = "ImagePath";

    /// <summary>Whether the CSV at <paramref name="path"/> is of this format: its first header field is <c>image</c>.</summary>
    public static bool HasImageHeader(string path)
    {
        using var reader = FkdCsv.OpenWithHeader(Path.GetFullPath(path), out var header, out _);
        return header[0] == ImageFieldName;
    }

    /// <summary>Loads and checks the file.</summary>
    /// <param name="catalog">The data catalog of the <see cref="MLContext"/> that builds the data view.</param>
    /// <param name="path">The CSV file.</param>
    /// <returns>Columns <c>ImagePath</c> (text) and <c>Keypoints</c> (<c>Vector&lt;Single, 2K&gt;</c>, slot names from the header).</returns>
    /// <exception cref="KeypointDataException">The header or a row is malformed, an image is missing or unreadable, or a
    /// keypoint lies outside its image.</exception>
    public static KeypointImageDataView Load(DataOperationsCatalog catalog, string path)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        using var reader = FkdCsv.OpenWithHeader(fullPath, out var header, out var headerLine);
        if (header[0] != ImageFieldName)
            throw new KeypointDataException(fullPath, headerLine, 1, header[0], $"the first column of an image-file CSV must be '{ImageFieldName}'.");
        var coordinateNames = header[1..];
        var rows = new List<Row>();
        int coordinates = coordinateNames.Length;
        (int Width, int Height)? firstSize = null;
        while (FkdCsv.Read(reader, fullPath))
        {
            long line = reader.LineNumber;
            if (reader.FieldCount != header.Length)
                throw new KeypointDataException(fullPath, line, null, null, $"expected {header.Length} fields, found {reader.FieldCount}.");
            var relative = reader.GetString(0) ?? "";
            var imagePath = Path.GetFullPath(Path.Combine(folder, relative));
            var (width, height, problem) = ImageFileCheck.ReadSize(imagePath, decodePixels: true);
            if (problem is not null)
                throw new KeypointDataException(fullPath, line, 1, ImageFieldName, problem);
            firstSize ??= (width, height);
            var values = new float[coordinates];
            for (int c = 0; c < coordinates; c++)
            {
                var field = reader.GetString(c + 1);
                if (string.IsNullOrWhiteSpace(field))
                {
                    values[c] = float.NaN;
                    continue;
                }
                if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !float.IsFinite(value))
                    throw new KeypointDataException(fullPath, line, c + 2, header[c + 1], $"'{field}' is not a number.");
                float limit = (c % 2 == 0 ? width : height) - 0.5f;
                if (value < -0.5f || value > limit)
                    throw new KeypointDataException(fullPath, line, c + 2, header[c + 1],
                        string.Create(CultureInfo.InvariantCulture, $"{value} lies outside the {width} x {height} image '{relative}' (allowed -0.5 to {limit})."));
                values[c] = value;
            }
            rows.Add(new Row { ImagePath = imagePath, Keypoints = values });
        }
        if (rows.Count == 0)
            throw new KeypointDataException(fullPath, headerLine, null, null, FkdCsv.NoRowsProblem);

        KeypointLayout layout;
        try
        {
            layout = KeypointLayout.FromCoordinateColumns(Path.GetFileNameWithoutExtension(fullPath), coordinateNames,
                firstSize!.Value.Width, firstSize.Value.Height);
        }
        catch (FormatException e)
        {
            throw new KeypointDataException(fullPath, headerLine, null, null, e.Message, e);
        }
        var view = catalog.LoadFromEnumerable(rows, CreateSchema(coordinateNames));
        return new KeypointImageDataView(view, layout, fullPath, rows.Select(r => r.ImagePath).ToArray());
    }

    private static SchemaDefinition CreateSchema(string[] coordinateNames)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        var keypoints = schema[nameof(Row.Keypoints)];
        keypoints.ColumnType = new VectorDataViewType(NumberDataViewType.Single, coordinateNames.Length);
        var slotNames = new VBuffer<ReadOnlyMemory<char>>(coordinateNames.Length, coordinateNames.Select(n => n.AsMemory()).ToArray());
        keypoints.AddAnnotation("SlotNames", slotNames,
            new VectorDataViewType(TextDataViewType.Instance, coordinateNames.Length));
        return schema;
    }

    /// <summary>One checked row.</summary>
    private sealed class Row
    {
        public string ImagePath { get; set; } = "";

        public float[] Keypoints { get; set; } = [];
    }
}
