using System.Drawing;

namespace Keypoints.MLNet.Detection;

/// <summary>One face found by a <see cref="FaceDetector"/>. Coordinates are image pixels with pixel centres at integers
/// (the convention of the library's keypoint labels): the top-left pixel's centre is (0, 0). "Right" and "left" are the
/// subject's own sides, so in an unmirrored photo of a person facing the camera the right eye has the smaller
/// x.</summary>
/// <param name="Score">The detector's confidence, 0 to 1.</param>
/// <param name="Box">The face box in image pixels (left, top, width, height); it may reach past the image's
/// edges.</param>
/// <param name="RightEye">Centre of the subject's right eye.</param>
/// <param name="LeftEye">Centre of the subject's left eye.</param>
/// <param name="Nose">Tip of the nose.</param>
/// <param name="Mouth">Centre of the mouth.</param>
/// <param name="RightEar">The subject's right ear (tragion).</param>
/// <param name="LeftEar">The subject's left ear (tragion).</param>
public sealed record DetectedFace(
    float Score,
    RectangleF Box,
    PointF RightEye,
    PointF LeftEye,
    PointF Nose,
    PointF Mouth,
    PointF RightEar,
    PointF LeftEar
);
