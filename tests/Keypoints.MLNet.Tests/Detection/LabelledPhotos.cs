using System.Globalization;

namespace Keypoints.MLNet.Tests.Detection;

/// <summary>The labelled faces of <c>photos/frames.csv</c> and <c>photos/scenes.csv</c> (iBUG-68 in image pixels),
/// reduced to what the detector is judged on: the eye centres (means of points 36-41, the subject's right eye, and
/// 42-47, the left), grouped by image.</summary>
internal static class LabelledPhotos
{
    /// <summary>One labelled face: the subject's right and left eye centres in image pixels.</summary>
    public sealed record Face(float RightEyeX, float RightEyeY, float LeftEyeX, float LeftEyeY)
    {
        /// <summary>Distance between the two eye centres in pixels.</summary>
        public float InterOcular =>
            MathF.Sqrt(
                ((LeftEyeX - RightEyeX) * (LeftEyeX - RightEyeX)) + ((LeftEyeY - RightEyeY) * (LeftEyeY - RightEyeY))
            );

        /// <summary>Midpoint of the eye centres, x.</summary>
        public float MidX => (RightEyeX + LeftEyeX) / 2;

        /// <summary>Midpoint of the eye centres, y.</summary>
        public float MidY => (RightEyeY + LeftEyeY) / 2;
    }

    /// <summary>The images of a CSV in <c>photos/</c> (absolute paths, in file order) with their labelled
    /// faces.</summary>
    public static List<(string Image, List<Face> Faces)> Read(string csvName)
    {
        string csv = SharedData.Path("photos", csvName);
        string folder = Path.GetDirectoryName(csv)!;
        var images = new List<(string Image, List<Face> Faces)>();
        foreach (string? line in File.ReadLines(csv).Skip(1))
        {
            string[] fields = line.Split(',');
            string image = Path.Combine(folder, fields[0]);
            if (images.Count == 0 || images[^1].Image != image)
                images.Add((image, []));
            images[^1].Faces.Add(new Face(Mean(fields, 36), MeanY(fields, 36), Mean(fields, 42), MeanY(fields, 42)));
        }
        return images;
    }

    private static float Mean(string[] fields, int first) =>
        (float)Enumerable.Range(first, 6).Average(k => double.Parse(fields[1 + (2 * k)], CultureInfo.InvariantCulture));

    private static float MeanY(string[] fields, int first) =>
        (float)Enumerable.Range(first, 6).Average(k => double.Parse(fields[2 + (2 * k)], CultureInfo.InvariantCulture));
}
