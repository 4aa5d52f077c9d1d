using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Photos;

/// <summary>Where one face's network input lies in a photo: an axis-aligned rectangle of <see cref="Width"/> by
/// <see cref="Height"/> network pixels, each <see cref="Scale"/> photo pixels wide, whose outer top-left corner is at
/// (<see cref="Left"/>, <see cref="Top"/>) in photo edge coordinates (pixel i spans [i, i + 1]). Points map with pixel
/// centres at integer coordinates, as the labels and the network's predictions are: <c>x_photo = Left + (x + 0.5) *
/// Scale - 0.5</c>.</summary>
/// <param name="Left">Left edge of the frame in the photo, in pixels (may be negative: the photo's edge is
/// replicated).</param>
/// <param name="Top">Top edge of the frame in the photo, in pixels.</param>
/// <param name="Scale">Photo pixels per network pixel.</param>
/// <param name="Width">The network's input width in pixels.</param>
/// <param name="Height">The network's input height in pixels.</param>
public readonly record struct FaceFrame(double Left, double Top, double Scale, int Width, int Height)
{
    /// <summary>The frame that puts a face with the given eye midpoint and inter-ocular distance (photo pixels, label
    /// convention) where <paramref name="framing"/> says the training faces were: the midpoint at the framing's
    /// fractions of the frame width, the distance at its fraction of the width. Axis-aligned, as the training crops
    /// were (head roll kept).</summary>
    /// <param name="eyeMidpointX">Eye midpoint x in the photo, pixel centres at integers.</param>
    /// <param name="eyeMidpointY">Eye midpoint y in the photo.</param>
    /// <param name="interOcularDistance">Distance between the eye centres in photo pixels.</param>
    /// <param name="framing">How the model's training faces sat in their frames.</param>
    /// <param name="width">The network's input width.</param>
    /// <param name="height">The network's input height.</param>
    public static FaceFrame FromEyes(
        double eyeMidpointX,
        double eyeMidpointY,
        double interOcularDistance,
        FaceFraming framing,
        int width,
        int height
    )
    {
        ArgumentNullException.ThrowIfNull(framing);
        // The framing's fractions are of coordinates (pixel centres) over the frame width, so in network pixels the
        // midpoint is at fraction * width and the distance is fraction * width; solving x_photo = Left + (x + 0.5) *
        // Scale - 0.5 for Left.
        double scale = interOcularDistance / (framing.InterOcularDistance * width);
        double left = eyeMidpointX + 0.5 - (((framing.EyeMidpointX * width) + 0.5) * scale);
        double top = eyeMidpointY + 0.5 - (((framing.EyeMidpointY * width) + 0.5) * scale);
        return new FaceFrame(left, top, scale, width, height);
    }

    /// <summary>Photo x of a network x (both with pixel centres at integers).</summary>
    public double PhotoX(double x) => Left + ((x + 0.5) * Scale) - 0.5;

    /// <summary>Photo y of a network y.</summary>
    public double PhotoY(double y) => Top + ((y + 0.5) * Scale) - 0.5;
}
