using System.Globalization;
using Keypoints.MLNet.Layouts;

namespace Keypoints.Cli;

/// <summary>A CSV of photos for <c>faces --data</c> and <c>evaluate --faces</c>: first column <c>image</c>, a path
/// relative to the CSV's folder, repeated once per labelled face of that photo; then optionally the face's <c>2K</c>
/// coordinates in photo pixels (which may lie outside the photo).</summary>
/// <param name="Folder">The CSV's folder, which image paths are relative to.</param>
/// <param name="Images">Each distinct image path as written in the CSV, in order of first appearance.</param>
/// <param name="Labels">Per image path, its labelled faces' coordinates (empty without coordinate columns).</param>
/// <param name="CoordinateColumns">The header's coordinate column names.</param>
internal sealed record PhotoCsv(
    string Folder,
    IReadOnlyList<string> Images,
    IReadOnlyDictionary<string, List<float[]>> Labels,
    IReadOnlyList<string> CoordinateColumns
)
{
    /// <summary>Reads the CSV.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The header does not start with <c>image</c>, or a field is not a number
    /// (file, line and column named).</exception>
    public static PhotoCsv Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        using var reader = new StreamReader(path);
        string[] header = (reader.ReadLine() ?? "").Split(',');
        if (header[0].Trim() != "image")
        {
            throw new InvalidDataException(
                $"{path}:1: the first column must be 'image' (a path relative to the CSV); found '{header[0]}'."
            );
        }

        var images = new List<string>();
        var labels = new Dictionary<string, List<float[]>>(StringComparer.Ordinal);
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            string[] fields = line.Split(',');
            if (fields.Length != header.Length)
            {
                throw new InvalidDataException(
                    $"{path}:{lineNumber}: {fields.Length} fields, but the header has {header.Length}."
                );
            }

            float[] coordinates = new float[fields.Length - 1];
            for (int c = 1; c < fields.Length; c++)
            {
                coordinates[c - 1] =
                    fields[c].Length == 0 ? float.NaN
                    : float.TryParse(fields[c], NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
                        ? value
                    : throw new InvalidDataException(
                        $"{path}:{lineNumber}:{c + 1}: column '{header[c]}' holds '{fields[c]}', not a number."
                    );
            }
            if (!labels.TryGetValue(fields[0], out var faces))
            {
                labels[fields[0]] = faces = [];
                images.Add(fields[0]);
            }
            if (coordinates.Length > 0)
                faces.Add(coordinates);
        }
        return new PhotoCsv(Path.GetDirectoryName(Path.GetFullPath(path))!, images, labels, header[1..]);
    }

    /// <summary>The full path of an image as written in the CSV.</summary>
    public string FullPath(string image) => Path.GetFullPath(Path.Combine(Folder, image));

    /// <summary>Checks that the coordinate columns are the model's: as many, named as <paramref name="layout"/> names
    /// them or
    /// <c>x0,y0,...</c> in its order.</summary>
    /// <exception cref="UsageException">They are not.</exception>
    public void RequireLayout(KeypointLayout layout, string path)
    {
        var names = layout.CoordinateNames;
        bool numbered =
            CoordinateColumns.Count == names.Count
            && CoordinateColumns
                .Select((c, i) => c == (i % 2 == 0 ? "x" : "y") + (i / 2).ToString(CultureInfo.InvariantCulture))
                .All(b => b);
        if (!numbered && !CoordinateColumns.SequenceEqual(names))
        {
            throw new UsageException(
                $"Data file '{path}' has {CoordinateColumns.Count} coordinate columns; the model's layout "
                    + $"'{layout.Name}' needs {names.Count} ({names[0]},{names[1]},... or x0,y0,...)."
            );
        }
    }
}
