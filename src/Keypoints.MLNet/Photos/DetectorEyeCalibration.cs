using System.Globalization;
using Keypoints.MLNet.Detection;

namespace Keypoints.MLNet.Photos;

/// <summary>The map from a <see cref="FaceDetector"/>'s eye points to the eye centres of the library's labels (the mean
/// of iBUG points 36-41 and 42-47): the detector marks the eyes systematically elsewhere (higher and further apart), so
/// a face framed from the raw detector eyes would sit in its frame differently from the training faces. The offset is
/// measured in the detector's eye-axis frame (along the line from the right to the left eye, and perpendicular to it,
/// positive towards the chin) in units of the detector's inter-ocular distance, so it holds under head roll and at any
/// face size.</summary>
/// <param name="AlongOffset">Label eye midpoint minus detector eye midpoint along the eye axis, in detector
/// inter-ocular distances.</param>
/// <param name="AcrossOffset">The same across the eye axis, positive towards the chin.</param>
/// <param name="InterOcularScale">Label inter-ocular distance divided by the detector's.</param>
/// <param name="Faces">The number of faces it was measured on (0 for an identity map).</param>
public sealed record DetectorEyeCalibration(double AlongOffset, double AcrossOffset, double InterOcularScale, int Faces)
{
    /// <summary>The map measured on the training images of <c>landmarks68/train.csv</c> (never validation or photos) by
    /// <c>dotnet run -c Release --project benchmarks/Keypoints.Benchmarks -- --calibrate-eyes
    /// ../shared/data/landmarks68/train.csv</c>: each 160-pixel crop padded by edge replication to twice its side, the
    /// detector's best face near the labels, mean offset and mean ratio over the faces found. It printed "found 2940 of
    /// 2946 faces" and
    /// <c>new DetectorEyeCalibration(0.0414, 0.0271, 0.9968, 2940)</c>: the labels' eye midpoint lies 0.041
    /// inter-ocular distances towards the subject's left eye and 0.027 towards the chin from the detector's, at the
    /// same distance.</summary>
    public static DetectorEyeCalibration Default { get; } = new(0.0414, 0.0271, 0.9968, 2940);

    /// <summary>No correction: the detector's eyes are taken as the label eye centres.</summary>
    public static DetectorEyeCalibration Identity { get; } = new(0.0, 0.0, 1.0, 0);

    /// <summary>The label-convention eye midpoint and inter-ocular distance, in photo pixels, of a detected
    /// face.</summary>
    public (double X, double Y, double InterOcularDistance) EyeMidpoint(DetectedFace face)
    {
        ArgumentNullException.ThrowIfNull(face);
        var (midX, midY, distance, alongX, alongY) = EyeAxis(face);
        // Across the axis: the axis turned a quarter clockwise on screen (y down), which points at the chin of an
        // upright face.
        double acrossX = -alongY,
            acrossY = alongX;
        return (
            midX + (distance * ((AlongOffset * alongX) + (AcrossOffset * acrossX))),
            midY + (distance * ((AlongOffset * alongY) + (AcrossOffset * acrossY))),
            distance * InterOcularScale
        );
    }

    /// <summary>Fits the map on detected faces and their labelled eye centres: mean offset in the eye-axis frame, mean
    /// distance ratio.</summary>
    /// <param name="pairs">Each detection with the labels' left and right eye centres, in the same pixels.</param>
    /// <exception cref="ArgumentException">No pairs.</exception>
    public static DetectorEyeCalibration Measure(
        IEnumerable<(DetectedFace Face, (double X, double Y) LeftEye, (double X, double Y) RightEye)> pairs
    )
    {
        ArgumentNullException.ThrowIfNull(pairs);
        double along = 0,
            across = 0,
            scale = 0;
        int count = 0;
        foreach (var (face, left, right) in pairs)
        {
            var (midX, midY, distance, alongX, alongY) = EyeAxis(face);
            double dx = ((left.X + right.X) / 2) - midX,
                dy = ((left.Y + right.Y) / 2) - midY;
            along += ((dx * alongX) + (dy * alongY)) / distance;
            across += ((dx * -alongY) + (dy * alongX)) / distance;
            scale +=
                Math.Sqrt(((left.X - right.X) * (left.X - right.X)) + ((left.Y - right.Y) * (left.Y - right.Y)))
                / distance;
            count++;
        }
        if (count == 0)
        {
            throw new ArgumentException(
                "The calibration needs at least one detected face with labelled eyes.",
                nameof(pairs)
            );
        }

        return new DetectorEyeCalibration(along / count, across / count, scale / count, count);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"along {AlongOffset:F4} IOD, across {AcrossOffset:F4} IOD, IOD x {InterOcularScale:F4} over {Faces} faces"
        );

    private static (double MidX, double MidY, double Distance, double AlongX, double AlongY) EyeAxis(DetectedFace face)
    {
        // "Right" is the subject's right eye, on the left of an unmirrored photo: the axis runs from it to the left
        // eye.
        double dx = face.LeftEye.X - face.RightEye.X,
            dy = face.LeftEye.Y - face.RightEye.Y;
        double distance = Math.Max(Math.Sqrt((dx * dx) + (dy * dy)), 1e-3);
        return (
            (face.LeftEye.X + face.RightEye.X) / 2.0,
            (face.LeftEye.Y + face.RightEye.Y) / 2.0,
            distance,
            dx / distance,
            dy / distance
        );
    }
}
