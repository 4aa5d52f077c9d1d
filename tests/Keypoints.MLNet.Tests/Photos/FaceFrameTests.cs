using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Photos;

namespace Keypoints.MLNet.Tests.Photos;

/// <summary>The framing of a face: where its eyes land in the network's input, and the map back to photo
/// pixels.</summary>
public sealed class FaceFrameTests
{
    private static readonly FaceFraming Framing = new(0.5, 0, 0.394, 0, 1 / 3.2, 0, 100);

    [Fact]
    public void FromEyes_PutsTheEyeMidpointAtTheFramingsFractions_AndTheDistanceAtItsFractionOfTheWidth()
    {
        var frame = FaceFrame.FromEyes(300, 200, 40, Framing, 96, 96);

        // The network pixel at the framing's midpoint maps to the photo's eye midpoint.
        Assert.Equal(300, frame.PhotoX(0.5 * 96), 6);
        Assert.Equal(200, frame.PhotoY(0.394 * 96), 6);
        // An inter-ocular distance of 96 / 3.2 network pixels spans the photo's 40 pixels.
        Assert.Equal(40, frame.PhotoX(0.5 * 96 + (96 / 3.2)) - frame.PhotoX(0.5 * 96), 6);
        Assert.Equal(40 * 3.2 / 96, frame.Scale, 9);
    }

    [Fact]
    public void PhotoX_MapsPixelCentresAtIntegers_AsTheCropRuleDoes()
    {
        // x_photo = x0 + (x + 0.5) * S / N - 0.5 with the frame's outer left edge x0 = 10, S = 192, N = 96.
        var frame = new FaceFrame(10, 20, 2, 96, 96);

        Assert.Equal(10 + (0.5 * 2) - 0.5, frame.PhotoX(0), 9);
        Assert.Equal(10 + (95.5 * 2) - 0.5, frame.PhotoX(95), 9);
        Assert.Equal(20 + (48.5 * 2) - 0.5, frame.PhotoY(48), 9);
    }

    [Fact]
    public void FromEyes_KeepsTheModelsAspect_ForANonSquareInput()
    {
        var frame = FaceFrame.FromEyes(100, 100, 30, Framing, 64, 96);

        Assert.Equal(64, frame.Width);
        Assert.Equal(96, frame.Height);
        // One scale for both axes: the midpoint's y fraction is of the width.
        Assert.Equal(100, frame.PhotoY(0.394 * 64), 6);
        Assert.Equal(100, frame.PhotoX(0.5 * 64), 6);
    }
}
