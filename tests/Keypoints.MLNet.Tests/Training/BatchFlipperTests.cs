using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Runtime;
using Keypoints.MLNet.Training;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>The in-training flip on tensors agrees with the offline flip, in scaled units.</summary>
public sealed class BatchFlipperTests
{
    [Fact]
    public void Flip_MovesPixelsAndKeypointsLikeTheOfflineFlip_AndSwapsTheMask()
    {
        TorchRuntime.EnsureInitialized();
        var layout = KeypointLayout.Kaggle15;
        var scaling = new CoordinateScaling(layout);
        var random = new Random(1);
        float[] pixels = Enumerable.Range(0, 96 * 96).Select(_ => (float)random.NextDouble()).ToArray();
        float[] coordinates = Enumerable.Range(0, 30).Select(_ => (float)(random.NextDouble() * 95)).ToArray();
        float[] present = Enumerable
            .Range(0, 30)
            .Select(i => i / 2 == layout.IndexOf("left_eye_center") ? 0f : 1f)
            .ToArray();

        using var scope = NewDisposeScope();
        var images = tensor(pixels, new long[] { 1, 1, 96, 96 });
        var targets = tensor(coordinates.Select(scaling.ToTarget).ToArray(), new long[] { 1, 30 });
        var mask = tensor(present, new long[] { 1, 30 });
        using var flipper = new BatchFlipper(layout, scaling, CPU);
        flipper.Flip(images, targets, mask, [0]);

        float[] expectedPixels = pixels.ToArray();
        FlippedAppendView.FlipImage(expectedPixels, 96);
        float[] expectedCoordinates = new float[30];
        FlippedAppendView.FlipCoordinates(coordinates, expectedCoordinates, layout);
        Assert.Equal(expectedPixels, images.data<float>().ToArray());
        float[] actual = targets.data<float>().ToArray();
        for (int i = 0; i < 30; i++)
            Assert.Equal(scaling.ToTarget(expectedCoordinates[i], i), actual[i], 5);
        float[] flippedMask = mask.data<float>().ToArray();
        Assert.Equal(0f, flippedMask[2 * layout.IndexOf("right_eye_center")]);
        Assert.Equal(1f, flippedMask[2 * layout.IndexOf("left_eye_center")]);
    }

    [Fact]
    public void Flip_WithAnAxisOffset_MirrorsTheLabelsAboutTheMovedAxis()
    {
        TorchRuntime.EnsureInitialized();
        var layout = KeypointLayout.Kaggle15;
        var scaling = new CoordinateScaling(layout);
        int nose = layout.IndexOf("nose_tip");
        float[] coordinates = Enumerable.Repeat(40f, 30).ToArray();

        using var scope = NewDisposeScope();
        var targets = tensor(coordinates.Select(scaling.ToTarget).ToArray(), new long[] { 1, 30 });
        using var flipper = new BatchFlipper(layout, scaling, CPU, axisOffset: 0.75);
        flipper.Flip(zeros(1, 1, 96, 96), targets, ones(1, 30), [0]);
        float[] flipped = targets.data<float>().ToArray();
        Assert.Equal(scaling.ToTarget(95 + 1.5f - 40, 2 * nose), flipped[2 * nose], 5);
        Assert.Equal(scaling.ToTarget(40, 2 * nose + 1), flipped[2 * nose + 1], 5);

        flipper.SetAxisOffset(0);
        flipper.Flip(zeros(1, 1, 96, 96), targets, ones(1, 30), [0]);
        Assert.Equal(scaling.ToTarget(40 - 1.5f, 2 * nose), targets.data<float>()[2 * nose], 5);
    }
}
