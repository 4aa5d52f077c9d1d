using System.Drawing;
using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Photos;

namespace Keypoints.MLNet.Tests.Photos;

/// <summary>The map from detector eyes to label eye centres: fitted in the eye-axis frame, so it holds under head
/// roll.</summary>
public sealed class DetectorEyeCalibrationTests
{
    [Fact]
    public void Measure_RecoversAKnownOffsetAndScale_OnRolledFacesOfManySizes()
    {
        var truth = new DetectorEyeCalibration(0.05, -0.03, 1.1, 0);
        var pairs = new List<(DetectedFace, (double X, double Y), (double X, double Y))>();
        foreach (var (roll, distance) in new[] { (0.0, 20.0), (0.4, 35.0), (-0.7, 60.0), (1.2, 15.0) })
        {
            var face = Face(200, 150, distance, roll);
            var (x, y, labelDistance) = truth.EyeMidpoint(face);
            double half = labelDistance / 2;
            // The labels' eyes on the same axis (the subject's right eye towards the smaller x when upright).
            pairs.Add(
                (
                    face,
                    (x + (half * Math.Cos(roll)), y + (half * Math.Sin(roll))),
                    (x - (half * Math.Cos(roll)), y - (half * Math.Sin(roll)))
                )
            );
        }

        var fitted = DetectorEyeCalibration.Measure(pairs);

        Assert.Equal(0.05, fitted.AlongOffset, 6);
        Assert.Equal(-0.03, fitted.AcrossOffset, 6);
        Assert.Equal(1.1, fitted.InterOcularScale, 6);
        Assert.Equal(4, fitted.Faces);
    }

    [Fact]
    public void EyeMidpoint_OfAnUprightFace_MovesTowardsTheLeftEyeAndTheChin()
    {
        var face = Face(100, 100, 40, 0);

        var (x, y, distance) = new DetectorEyeCalibration(0.1, 0.2, 1.5, 1).EyeMidpoint(face);

        Assert.Equal(104, x, 6);
        Assert.Equal(108, y, 6);
        Assert.Equal(60, distance, 6);
    }

    [Fact]
    public void EyeMidpoint_Identity_IsTheDetectorsMidpoint()
    {
        var (x, y, distance) = DetectorEyeCalibration.Identity.EyeMidpoint(Face(50, 60, 10, 0.3));

        Assert.Equal(50, x, 5);
        Assert.Equal(60, y, 5);
        Assert.Equal(10, distance, 5);
    }

    /// <summary>A detected face with its eyes <paramref name="distance"/> apart about (<paramref name="x"/>, <paramref
    /// name="y"/>), rolled by <paramref name="roll"/> radians (clockwise on screen).</summary>
    internal static DetectedFace Face(double x, double y, double distance, double roll)
    {
        float dx = (float)(distance / 2 * Math.Cos(roll)),
            dy = (float)(distance / 2 * Math.Sin(roll));
        var right = new PointF((float)x - dx, (float)y - dy);
        var left = new PointF((float)x + dx, (float)y + dy);
        float side = (float)(distance * 2);
        return new DetectedFace(
            0.9f,
            new RectangleF((float)x - (side / 2), (float)y - (side / 3), side, side),
            right,
            left,
            new PointF((float)x, (float)(y + (distance / 2))),
            new PointF((float)x, (float)(y + distance)),
            right,
            left
        );
    }
}
