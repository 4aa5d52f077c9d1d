using System.Globalization;
using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Photos;

namespace Keypoints.Benchmarks;

/// <summary>Measures <see cref="DetectorEyeCalibration"/> (the map from the face detector's eyes to the labels' eye
/// centres) on a training CSV of image files with iBUG-68 labels (<c>image,x0,y0,...,x67,y67</c>). The crops are tight,
/// so each is padded by edge replication to twice its side before detection, as a photo would surround the
/// face.</summary>
internal static class EyeCalibrationMeasurement
{
    /// <summary>Prints the faces found and the fitted map; returns the process exit code.</summary>
    public static int Run(string csvPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(csvPath))!;
        var layout = KeypointLayout.Ibug68;
        using var detector = new FaceDetector();
        var pairs = new List<(DetectedFace, (double X, double Y), (double X, double Y))>();
        int rows = 0;
        foreach (string? line in File.ReadLines(csvPath).Skip(1))
        {
            string[] fields = line.Split(',');
            float[] labels = fields.Skip(1).Select(f => float.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            rows++;
            if (!layout.TryGetEyeCenters(labels, out var left, out var right))
                continue;
            var crop = RgbImage.Load(Path.Combine(folder, fields[0]));
            int pad = Math.Max(crop.Width, crop.Height) / 2;
            var padded = Pad(crop, pad);
            double iod = Math.Sqrt(
                ((left.X - right.X) * (left.X - right.X)) + ((left.Y - right.Y) * (left.Y - right.Y))
            );
            double midX = ((left.X + right.X) / 2) + pad,
                midY = ((left.Y + right.Y) / 2) + pad;
            var nearest = detector
                .Detect(padded)
                .Select(f =>
                    (
                        Face: f,
                        Distance: Math.Sqrt(
                            Square(((f.LeftEye.X + f.RightEye.X) / 2) - midX)
                                + Square(((f.LeftEye.Y + f.RightEye.Y) / 2) - midY)
                        )
                    )
                )
                .Where(c => c.Distance < iod / 2)
                .OrderBy(c => c.Distance)
                .FirstOrDefault();
            if (nearest.Face is not null)
                pairs.Add((nearest.Face, (left.X + pad, left.Y + pad), (right.X + pad, right.Y + pad)));
        }
        var calibration = DetectorEyeCalibration.Measure(pairs);
        Console.WriteLine(
            $"eye calibration on {csvPath}: found {pairs.Count} of {rows} faces (crops padded by edge replication to "
                + $"twice their side)"
        );
        Console.WriteLine(calibration);
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"new DetectorEyeCalibration({calibration.AlongOffset:F4}, {calibration.AcrossOffset:F4}, "
                    + $"{calibration.InterOcularScale:F4}, {calibration.Faces})"
            )
        );
        return 0;
    }

    private static double Square(double value) => value * value;

    private static RgbImage Pad(RgbImage image, int pad)
    {
        int width = image.Width + (2 * pad),
            height = image.Height + (2 * pad);
        byte[] pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            int sourceY = Math.Clamp(y - pad, 0, image.Height - 1);
            for (int x = 0; x < width; x++)
            {
                int sourceX = Math.Clamp(x - pad, 0, image.Width - 1);
                Array.Copy(image.Pixels, ((sourceY * image.Width) + sourceX) * 3, pixels, ((y * width) + x) * 3, 3);
            }
        }
        return new RgbImage(width, height, pixels);
    }
}
