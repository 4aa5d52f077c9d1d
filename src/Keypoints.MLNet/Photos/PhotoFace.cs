using System.Drawing;
using Keypoints.MLNet.Detection;

namespace Keypoints.MLNet.Photos;

/// <summary>One face of a photo with its predicted keypoints, all in photo pixels (pixel centres at
/// integers).</summary>
/// <param name="Score">The face detector's confidence, 0 to 1.</param>
/// <param name="Box">The detector's face box (left, top, width, height) in photo pixels; it may reach past the photo's
/// edges.</param>
/// <param name="Keypoints">The predicted keypoints, <c>x0, y0, x1, y1, ...</c> in photo pixels, in the order of
/// <paramref name="KeypointNames"/>.</param>
/// <param name="KeypointNames">The model's keypoint names.</param>
/// <param name="Detection">What the detector found (box, eyes, nose, mouth, ears).</param>
/// <param name="Frame">Where the network's input was cut from the photo.</param>
public sealed record PhotoFace(
    float Score,
    RectangleF Box,
    IReadOnlyList<float> Keypoints,
    IReadOnlyList<string> KeypointNames,
    DetectedFace Detection,
    FaceFrame Frame
)
{
    /// <summary>The predicted position of the keypoint called <paramref name="name"/>, in photo pixels.</summary>
    /// <exception cref="KeyNotFoundException">The model has no keypoint of that name.</exception>
    public PointF this[string name]
    {
        get
        {
            int k = KeypointNames.Count;
            for (int i = 0; i < k; i++)
            {
                if (KeypointNames[i] == name)
                    return new PointF(Keypoints[2 * i], Keypoints[(2 * i) + 1]);
            }
            throw new KeyNotFoundException(
                $"The model has no keypoint '{name}'; it has {string.Join(", ", KeypointNames)}."
            );
        }
    }
}
