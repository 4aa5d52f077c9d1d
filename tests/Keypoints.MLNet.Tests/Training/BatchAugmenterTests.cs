using Keypoints.MLNet.Runtime;
using Keypoints.MLNet.Training;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>
/// Batch augmentation moves keypoints exactly with the pixels and changes pixel values as documented. Geometry is
/// checked on one-pixel marks: each image is black but for the pixel under its single keypoint, and after
/// augmentation the mark's intensity-weighted centroid must lie within half a pixel of the moved keypoint (bilinear
/// sampling of a rotated or zoomed impulse biases the centroid by up to about 0.3 px). The ranges are wide (any
/// angle, zoom up to 2.2) so that a half-pixel slip in the coordinate mapping moves a keypoint by 0.7 px or more
/// and fails; the image is not square so that x and y cannot be mixed up unnoticed.
/// </summary>
public sealed class BatchAugmenterTests
{
    private const int Width = 40;
    private const int Height = 30;
    private const int Batch = 24;

    public BatchAugmenterTests() => TorchRuntime.EnsureInitialized();

    [Fact]
    public void Rotation_MovesEveryKeypointWithItsMark() =>
        AssertKeypointsFollowMarks(new AugmentationOptions { RotationProbability = 1, MaxRotationDegrees = 180 });

    [Fact]
    public void Scale_MovesEveryKeypointWithItsMark() =>
        AssertKeypointsFollowMarks(
            new AugmentationOptions
            {
                ScaleProbability = 1,
                MinScale = 0.75,
                MaxScale = 2.2,
            }
        );

    // Bilinear resampling moves an impulse's centroid exactly under a pure translation, so a shift must match to
    // a hundredth of a pixel; with align_corners = true the grid unit would be (W - 1)/2 pixels instead of W/2 and
    // shifts of up to 0.2 W would land up to 0.2 px off.
    [Fact]
    public void Shift_MovesEveryKeypointWithItsMark_Exactly() =>
        AssertKeypointsFollowMarks(new AugmentationOptions { ShiftProbability = 1, MaxShift = 0.2 }, tolerance: 0.01);

    [Fact]
    public void RotationScaleAndShiftTogether_MoveEveryKeypointWithItsMark() =>
        AssertKeypointsFollowMarks(
            new AugmentationOptions
            {
                RotationProbability = 1,
                MaxRotationDegrees = 180,
                ScaleProbability = 1,
                MinScale = 0.75,
                MaxScale = 1.6,
                ShiftProbability = 1,
                MaxShift = 0.2,
            }
        );

    [Fact]
    public void KeypointPushedOutsideTheImage_IsMaskedForTheBatch_AndOneInsideIsNot()
    {
        using var scope = NewDisposeScope();
        // Zooming by 2 about the center (19.5, 14.5) sends pixel (2, 2) to (-15.5, -10.5) and (20, 15) to (20.5, 15.5).
        var (images, targets, mask) = Marked([(2, 2), (20, 15)]);
        using var augmenter = new BatchAugmenter(
            new AugmentationOptions
            {
                ScaleProbability = 1,
                MinScale = 2,
                MaxScale = 2,
            },
            Width,
            Height,
            CPU
        );
        augmenter.Apply(images, targets, mask, new Random(1));
        Assert.Equal([0f, 0f], mask[0].data<float>().ToArray());
        Assert.Equal([1f, 1f], mask[1].data<float>().ToArray());
        var (x, y) = Pixel(targets, 1);
        Assert.Equal(20.5, x, 4);
        Assert.Equal(15.5, y, 4);
    }

    [Fact]
    public void Brightness_AddsOneOffsetPerImage_WithinTheRange_AndLeavesKeypointsAlone()
    {
        using var scope = NewDisposeScope();
        var (images, targets, mask) = RandomBatch(seed: 2);
        var (before, targetsBefore, maskBefore) = (images.clone(), targets.clone(), mask.clone());
        using var augmenter = new BatchAugmenter(
            new AugmentationOptions { BrightnessProbability = 1, MaxBrightnessDelta = 0.3 },
            Width,
            Height,
            CPU
        );
        augmenter.Apply(images, targets, mask, new Random(3));
        var offsets = (images - before).view(Batch, -1);
        float[] perImage = offsets.mean([1]).data<float>().ToArray();
        Assert.True((offsets - offsets.mean([1], keepdim: true)).abs().max().item<float>() < 1e-5f);
        Assert.All(perImage, d => Assert.InRange(d, -0.3f, 0.3f));
        Assert.True(perImage.Max() - perImage.Min() > 0.1f, "offsets should differ between images");
        AssertUnchanged(targetsBefore, targets);
        AssertUnchanged(maskBefore, mask);
    }

    [Fact]
    public void Contrast_ScalesEachImageAboutItsMean_WithinTheRange()
    {
        using var scope = NewDisposeScope();
        var (images, targets, mask) = RandomBatch(seed: 4);
        var before = images.clone();
        using var augmenter = new BatchAugmenter(
            new AugmentationOptions
            {
                ContrastProbability = 1,
                MinContrast = 0.5,
                MaxContrast = 1.5,
            },
            Width,
            Height,
            CPU
        );
        augmenter.Apply(images, targets, mask, new Random(5));
        for (int row = 0; row < Batch; row++)
        {
            var input = before[row].flatten();
            var output = images[row].flatten();
            float mean = input.mean().item<float>();
            Assert.Equal(mean, output.mean().item<float>(), 1e-5f);
            float factor = (output - mean).abs().sum().item<float>() / (input - mean).abs().sum().item<float>();
            Assert.InRange(factor, 0.5f, 1.5f);
            Assert.True((output - mean - factor * (input - mean)).abs().max().item<float>() < 1e-5f);
        }
    }

    [Fact]
    public void Blur_SpreadsACenteredImpulseAsAGaussian_KeepingItsSumAndItsCentroid()
    {
        using var scope = NewDisposeScope();
        var (images, targets, mask) = Marked([(20, 15)]);
        var targetsBefore = targets.clone();
        using var augmenter = new BatchAugmenter(
            new AugmentationOptions
            {
                BlurProbability = 1,
                MinBlurSigma = 1,
                MaxBlurSigma = 1,
            },
            Width,
            Height,
            CPU
        );
        augmenter.Apply(images, targets, mask, new Random(6));
        var image = images[0, 0];
        Assert.Equal(1f, image.sum().item<float>(), 5);
        var (x, y) = Centroid(image);
        Assert.Equal(20, x, 4);
        Assert.Equal(15, y, 4);
        // A normalized 7-tap Gaussian of sigma 1 (radius ceil(3 sigma)) applied across and then down.
        double peak = 1 / Enumerable.Range(-3, 7).Sum(j => Math.Exp(-j * j / 2.0));
        Assert.Equal(peak * peak, image[15, 20].item<float>(), 5);
        Assert.Equal(peak * peak * Math.Exp(-0.5), image[15, 21].item<float>(), 5);
        Assert.Equal(peak * peak * Math.Exp(-1), image[14, 19].item<float>(), 5);
        AssertUnchanged(targetsBefore, targets);
    }

    [Fact]
    public void SameSeed_GivesTheSameBatch()
    {
        using var scope = NewDisposeScope();
        var options = AugmentationOptions.Default;
        var first = RandomBatch(seed: 7);
        var second = RandomBatch(seed: 7);
        using var augmenter = new BatchAugmenter(options, Width, Height, CPU);
        augmenter.Apply(first.Images, first.Targets, first.Mask, new Random(8));
        augmenter.Apply(second.Images, second.Targets, second.Mask, new Random(8));
        AssertUnchanged(first.Images, second.Images);
        AssertUnchanged(first.Targets, second.Targets);
        AssertUnchanged(first.Mask, second.Mask);
        var untouched = RandomBatch(seed: 7);
        Assert.False(untouched.Images.eq(first.Images).all().item<bool>(), "Default should change some pixels");
    }

    [Fact]
    public void None_LeavesTheBatchUntouched_AndDrawsNothing()
    {
        using var scope = NewDisposeScope();
        var (images, targets, mask) = RandomBatch(seed: 9);
        var (imagesBefore, targetsBefore, maskBefore) = (images.clone(), targets.clone(), mask.clone());
        var random = new Random(10);
        using var augmenter = new BatchAugmenter(AugmentationOptions.None, Width, Height, CPU);
        augmenter.Apply(images, targets, mask, random);
        AssertUnchanged(imagesBefore, images);
        AssertUnchanged(targetsBefore, targets);
        AssertUnchanged(maskBefore, mask);
        Assert.Equal(new Random(10).Next(), random.Next());
    }

    [Fact]
    public void RowsThatDrawNoTransform_StayBitForBitTheSame()
    {
        using var scope = NewDisposeScope();
        var (images, targets, mask) = RandomBatch(seed: 11);
        var imagesBefore = images.clone();
        var options = new AugmentationOptions
        {
            RotationProbability = 0.3,
            ScaleProbability = 0.3,
            ShiftProbability = 0.3,
            BrightnessProbability = 0.3,
            ContrastProbability = 0.3,
            BlurProbability = 0.3,
        };
        using var augmenter = new BatchAugmenter(options, Width, Height, CPU);
        augmenter.Apply(images, targets, mask, new Random(12));
        int same = Enumerable.Range(0, Batch).Count(r => images[r].eq(imagesBefore[r]).all().item<bool>());
        // Each row escapes all six transforms with probability 0.7^6, about 0.12.
        Assert.InRange(same, 1, Batch - 1);
    }

    private static void AssertKeypointsFollowMarks(AugmentationOptions options, double tolerance = 0.5)
    {
        using var augmenter = new BatchAugmenter(options, Width, Height, CPU);
        var positions = new Random(100);
        int checkedMarks = 0;
        for (int draw = 0; draw < 8; draw++)
        {
            using var scope = NewDisposeScope();
            var marks = Enumerable
                .Range(0, Batch)
                .Select(_ => (positions.Next(Width / 4, 3 * Width / 4), positions.Next(Height / 4, 3 * Height / 4)))
                .ToArray();
            var (images, targets, mask) = Marked(marks);
            augmenter.Apply(images, targets, mask, new Random(draw));
            for (int row = 0; row < Batch; row++)
            {
                var (x, y) = Pixel(targets, row);
                bool inside = x is >= -0.5 and <= Width - 0.5 && y is >= -0.5 and <= Height - 0.5;
                Assert.Equal(inside ? new[] { 1f, 1f } : new[] { 0f, 0f }, mask[row].data<float>().ToArray());
                // The mark's footprint must lie whole inside the image for its centroid to be unbiased.
                if (x < 2 || x > Width - 3 || y < 2 || y > Height - 3)
                    continue;
                var (cx, cy) = Centroid(images[row, 0]);
                double distance = Math.Sqrt((cx - x) * (cx - x) + (cy - y) * (cy - y));
                Assert.True(
                    distance <= tolerance,
                    $"draw {draw}, row {row}: keypoint ({x:F2}, {y:F2}) but mark at ({cx:F2}, {cy:F2}), {distance:F2} "
                        + $"px apart"
                );
                checkedMarks++;
            }
        }
        Assert.True(checkedMarks >= 4 * Batch, $"only {checkedMarks} marks stayed away from the edges");
    }

    /// <summary>Black images with one bright pixel each, at its image's only keypoint.</summary>
    private static (Tensor Images, Tensor Targets, Tensor Mask) Marked((int X, int Y)[] marks)
    {
        float[] pixels = new float[marks.Length * Width * Height];
        float[] targets = new float[marks.Length * 2];
        for (int i = 0; i < marks.Length; i++)
        {
            pixels[(i * Height + marks[i].Y) * Width + marks[i].X] = 1;
            targets[2 * i] = (marks[i].X - Width / 2f) / (Width / 2f);
            targets[2 * i + 1] = (marks[i].Y - Height / 2f) / (Height / 2f);
        }
        return (
            tensor(pixels, [marks.Length, 1, Height, Width]),
            tensor(targets, [marks.Length, 2]),
            ones(marks.Length, 2)
        );
    }

    private static (Tensor Images, Tensor Targets, Tensor Mask) RandomBatch(int seed)
    {
        var random = new Random(seed);
        float[] pixels = Enumerable.Range(0, Batch * Width * Height).Select(_ => (float)random.NextDouble()).ToArray();
        float[] targets = Enumerable.Range(0, Batch * 6).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] mask = Enumerable.Range(0, Batch * 6).Select(i => i % 6 < 2 ? 0f : 1f).ToArray();
        return (tensor(pixels, [Batch, 1, Height, Width]), tensor(targets, [Batch, 6]), tensor(mask, [Batch, 6]));
    }

    /// <summary>The keypoint of <paramref name="row"/> in pixels (pixel centers at integers).</summary>
    private static (double X, double Y) Pixel(Tensor targets, int row)
    {
        float[] scaled = targets[row].data<float>().ToArray();
        return (scaled[0] * Width / 2.0 + Width / 2.0, scaled[1] * Height / 2.0 + Height / 2.0);
    }

    private static (double X, double Y) Centroid(Tensor image)
    {
        float[] values = image.data<float>().ToArray();
        double sum = 0,
            x = 0,
            y = 0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += values[i];
            x += values[i] * (i % Width);
            y += values[i] * (i / Width);
        }
        return (x / sum, y / sum);
    }

    private static void AssertUnchanged(Tensor expected, Tensor actual) =>
        Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
}
