using System.Globalization;
using System.Text;
using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>Kaggle-layout CSVs of random grey faces at any size, for tests of image sizes the shared data does not
/// have.</summary>
internal static class SyntheticFaces
{
    /// <summary>Writes <paramref name="rows"/> rows of <paramref name="size"/> x <paramref name="size"/> random grey
    /// levels with every Kaggle keypoint labelled (the 96-pixel layout's typical positions scaled to the size, plus
    /// noise), and returns the path.</summary>
    public static string WriteKaggleCsv(TempFolder folder, string name, int size, int rows, int seed = 3)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", KeypointLayout.Kaggle15.CoordinateNames.Append("Image")));
        for (int r = 0; r < rows; r++)
        {
            var coordinates = DrawnFaces.TypicalKeypoints.Select(v =>
                (v * size / 96f + (float)(random.NextDouble() * 4 - 2)).ToString("F2", CultureInfo.InvariantCulture)
            );
            var pixels = Enumerable
                .Range(0, size * size)
                .Select(_ => random.Next(256).ToString(CultureInfo.InvariantCulture));
            text.Append(string.Join(",", coordinates)).Append(',').AppendLine(string.Join(" ", pixels));
        }
        return folder.Write(name, text.ToString());
    }
}
