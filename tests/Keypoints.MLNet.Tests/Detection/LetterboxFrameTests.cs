using Keypoints.MLNet.Detection;

namespace Keypoints.MLNet.Tests.Detection;

public sealed class LetterboxFrameTests
{
    [Fact]
    public void Whole_LandscapeImage_IsScaledToWidthAndPaddedAboveAndBelow()
    {
        var frame = LetterboxFrame.Whole(640, 480, 256);
        Assert.Equal(0.4f, frame.Scale, 6);
        Assert.Equal(0f, frame.PadLeft, 6);
        Assert.Equal(32f, frame.PadTop, 6);
        // The top-left pixel's outer corner is the corner of the scaled picture.
        Assert.Equal(0f, frame.InputX(-0.5f), 5);
        Assert.Equal(32f, frame.InputY(-0.5f), 5);
        Assert.Equal(256f, frame.InputX(639.5f), 4);
        Assert.Equal(224f, frame.InputY(479.5f), 4);
    }

    [Theory]
    [InlineData(0f, 0f, 640f, 480f, 17.25f, 401.5f)]
    [InlineData(100f, 50f, 256f, 256f, 200f, 60f)]
    [InlineData(0f, 0f, 72f, 150f, -3f, 149f)]
    public void ImageToInputAndBack_ReturnsTheSamePoint(
        float left,
        float top,
        float width,
        float height,
        float x,
        float y
    )
    {
        var frame = new LetterboxFrame(left, top, width, height, 256);
        Assert.Equal(x, frame.ImageX(frame.InputX(x)), 3);
        Assert.Equal(y, frame.ImageY(frame.InputY(y)), 3);
    }

    [Fact]
    public void Sampler_UniformImage_FillsTheRegionWithItsValueAndThePaddingWithBlack()
    {
        byte[] pixels = Enumerable.Repeat((byte)255, 40 * 20 * 3).ToArray();
        float[] tensor = new float[256 * 256 * 3];
        LetterboxSampler.Fill(new RgbImage(40, 20, pixels), LetterboxFrame.Whole(40, 20, 256), tensor);
        // 40x20 scaled by 6.4 is 256x128, padded by 64 rows above and below.
        Assert.Equal(-1f, tensor[(10 * 256 * 3) + (100 * 3)]);
        Assert.Equal(1f, tensor[(128 * 256 * 3) + (100 * 3)], 5);
        Assert.Equal(1f, tensor[(64 * 256 * 3) + (255 * 3) + 2], 5);
        Assert.Equal(-1f, tensor[(192 * 256 * 3) + (0 * 3)]);
    }
}
