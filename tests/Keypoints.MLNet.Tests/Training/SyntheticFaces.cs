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
        // Typical positions of the 15 keypoints in a 96 x 96 Kaggle face, in the competition's column order.
        float[] typical =
        [
            66,
            37,
            30,
            37,
            59,
            38,
            73,
            38,
            37,
            38,
            22,
            38,
            56,
            29,
            80,
            30,
            39,
            29,
            16,
            30,
            48,
            62,
            63,
            76,
            32,
            76,
            48,
            72,
            48,
            82,
        ];
        var random = new Random(seed);
        var text = new StringBuilder();
        text.AppendLine(string.Join(",", KeypointLayout.Kaggle15.CoordinateNames.Append("Image")));
        for (int r = 0; r < rows; r++)
        {
            var coordinates = typical.Select(v =>
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
