namespace Keypoints.MLNet.Detection;

/// <summary>How a rectangle of an image (the whole image, or one tile) is placed in the detector's square input: scaled
/// to fit with its aspect kept, centred, the rest padded. Image coordinates are pixel-index coordinates (pixel centres
/// at integers); input coordinates are continuous, from 0 to <see cref="InputSize"/> across the input (pixel centres at
/// half-integers), which is how the model's regressors count.</summary>
/// <param name="RegionLeft">Left edge of the region in the image, in pixels from the image's left edge.</param>
/// <param name="RegionTop">Top edge of the region in the image, in pixels from the image's top edge.</param>
/// <param name="RegionWidth">Width of the region in image pixels.</param>
/// <param name="RegionHeight">Height of the region in image pixels.</param>
/// <param name="InputSize">Side of the square input in pixels.</param>
internal readonly record struct LetterboxFrame(
    float RegionLeft,
    float RegionTop,
    float RegionWidth,
    float RegionHeight,
    int InputSize
)
{
    /// <summary>Input pixels per image pixel.</summary>
    public float Scale => InputSize / Math.Max(RegionWidth, RegionHeight);

    /// <summary>Padding left of the scaled region, in input pixels.</summary>
    public float PadLeft => (InputSize - (RegionWidth * Scale)) / 2;

    /// <summary>Padding above the scaled region, in input pixels.</summary>
    public float PadTop => (InputSize - (RegionHeight * Scale)) / 2;

    /// <summary>The frame of a whole image.</summary>
    public static LetterboxFrame Whole(int width, int height, int inputSize) => new(0, 0, width, height, inputSize);

    /// <summary>Image x (pixel-index) of input x (continuous).</summary>
    public float ImageX(float inputX) => ((inputX - PadLeft) / Scale) + RegionLeft - 0.5f;

    /// <summary>Image y (pixel-index) of input y (continuous).</summary>
    public float ImageY(float inputY) => ((inputY - PadTop) / Scale) + RegionTop - 0.5f;

    /// <summary>Input x (continuous) of image x (pixel-index).</summary>
    public float InputX(float imageX) => ((imageX + 0.5f - RegionLeft) * Scale) + PadLeft;

    /// <summary>Input y (continuous) of image y (pixel-index).</summary>
    public float InputY(float imageY) => ((imageY + 0.5f - RegionTop) * Scale) + PadTop;
}
