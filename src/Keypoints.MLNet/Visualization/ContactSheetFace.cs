using System.Drawing;

namespace Keypoints.MLNet.Visualization;

/// <summary>One face of a <see cref="ContactSheet"/>.</summary>
/// <param name="ImagePath">The image file.</param>
/// <param name="Predicted">Predicted keypoints, <c>x0, y0, x1, y1, ...</c> in pixels of the image.</param>
/// <param name="Truth">True keypoints in the same layout and units, NaN where missing; <see langword="null"/> when
/// unknown.</param>
/// <param name="Caption">The line of text drawn under the face.</param>
/// <param name="Region">The part of the image to show, in its pixels (for one face of a photo); <see langword="null"/>
/// for the whole image.</param>
public sealed record ContactSheetFace(
    string ImagePath,
    float[] Predicted,
    float[]? Truth,
    string Caption,
    RectangleF? Region = null
);
