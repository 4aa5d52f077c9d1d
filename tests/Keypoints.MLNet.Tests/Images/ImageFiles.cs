using System.Globalization;

namespace Keypoints.MLNet.Tests.Images;

/// <summary>Small keypoint CSVs of image files written to a temp folder, pointing at the real landmarks68
/// images.</summary>
internal static class ImageFiles
{
    /// <summary>The first <paramref name="rows"/> rows of a landmarks68 CSV, with the image paths made
    /// absolute-relative to
    /// <paramref name="folder"/> and only the keypoints at <paramref name="keypoints"/> (all 68 when null), as numbered
    /// pairs.</summary>
    /// <param name="folder">Where to write the CSV.</param>
    /// <param name="name">The CSV's file name.</param>
    /// <param name="split">The landmarks68 file to take the rows from: <c>train</c> or <c>validation</c>.</param>
    /// <param name="rows">How many rows to take.</param>
    /// <param name="keypoints">The keypoints to keep, by index; all 68 when null.</param>
    /// <param name="keypointNames">Names for the kept keypoints, written as <c>name_x,name_y</c> columns; numbered
    /// pairs when null.</param>
    public static string WriteCsv(
        TempFolder folder,
        string name,
        string split,
        int rows,
        IReadOnlyList<int>? keypoints = null,
        IReadOnlyList<string>? keypointNames = null
    )
    {
        string source = SharedData.Path("landmarks68", split + ".csv");
        string sourceFolder = Path.GetDirectoryName(source)!;
        var kept = keypoints ?? Enumerable.Range(0, 68).ToArray();
        var lines = new List<string>
        {
            "image,"
                + string.Join(
                    ",",
                    kept.Select(
                        (_, i) => keypointNames is null ? $"x{i},y{i}" : $"{keypointNames[i]}_x,{keypointNames[i]}_y"
                    )
                ),
        };
        foreach (string? line in File.ReadLines(source).Skip(1).Take(rows))
        {
            string[] fields = line.Split(',');
            string image = Path.GetRelativePath(folder.Folder, Path.Combine(sourceFolder, fields[0]));
            lines.Add(image + "," + string.Join(",", kept.Select(k => fields[1 + 2 * k] + "," + fields[2 + 2 * k])));
        }
        return folder.Write(name, string.Join("\n", lines) + "\n");
    }

    /// <summary>The coordinates of the first data row of a CSV written by <see cref="WriteCsv"/>.</summary>
    public static float[] FirstRowKeypoints(string csv) =>
        File.ReadLines(csv)
            .Skip(1)
            .First()
            .Split(',')
            .Skip(1)
            .Select(v => float.Parse(v, CultureInfo.InvariantCulture))
            .ToArray();
}
