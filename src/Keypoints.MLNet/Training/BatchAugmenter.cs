using TorchSharp;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Applies <see cref="AugmentationOptions"/> to a training batch in place: one affine map per image (rotation and
/// scale about the image center, then shift) resamples the pixels and moves the keypoints, then Gaussian blur,
/// contrast and brightness change pixel values. Every random choice comes from the caller's <see cref="Random"/>,
/// so a seeded run is repeatable.
/// </summary>
/// <remarks>
/// Coordinates. The project puts pixel centers at integer pixel coordinates and scales a target as
/// <c>s = (x - W/2) / (W/2)</c>. <c>affine_grid</c> and <c>grid_sample</c> with <c>align_corners = false</c> put
/// -1 and 1 at the outer edges of the first and last pixels, so pixel <c>x</c> sits at grid coordinate
/// <c>g = (2x + 1)/W - 1 = s + 1/W</c> (and <c>s + 1/H</c> for y). Keypoints are moved in grid coordinates with the
/// same matrix whose inverse samples the pixels, and a keypoint is inside the image while <c>|g| &lt;= 1</c>.
/// Borders: pixels sampled from outside the image repeat the nearest edge pixel (<c>padding_mode = border</c>), which
/// does not depend on the pixel normalization and does not draw black corners with sharp edges that test faces
/// never have; blur repeats edge pixels for the same reasons.
/// </remarks>
internal sealed class BatchAugmenter : IDisposable
{
    private readonly AugmentationOptions options;
    private readonly int width;
    private readonly int height;
    private readonly int blurRadius;
    private readonly Tensor pixelCenterOffset;

    /// <summary>Prepares augmentation of <paramref name="width"/> x <paramref name="height"/> images on <paramref
    /// name="device"/>.</summary>
    public BatchAugmenter(AugmentationOptions options, int width, int height, Device device)
    {
        this.options = options;
        this.width = width;
        this.height = height;
        // One kernel size for every blurred image of a batch lets a single grouped convolution blur them all.
        blurRadius = (int)Math.Ceiling(3 * options.MaxBlurSigma);
        pixelCenterOffset = tensor(new[] { 1f / width, 1f / height }, device: device);
    }

    /// <summary>Augments the batch in place.</summary>
    /// <param name="images">Normalized pixels, <c>[B, C, H, W]</c>.</param>
    /// <param name="targets">Scaled targets <c>(x - W/2) / (W/2)</c>, <c>[B, 2K]</c>, x then y for each
    /// keypoint.</param>
    /// <param name="mask">1 where a coordinate is present, <c>[B, 2K]</c>; set to 0 where a keypoint leaves the
    /// image.</param>
    /// <param name="random">Source of every random choice.</param>
    public void Apply(Tensor images, Tensor targets, Tensor mask, Random random)
    {
        using var scope = NewDisposeScope();
        int batch = (int)images.shape[0];
        var moved = new List<long>();
        var forwardMaps = new List<float>();
        var blurred = new List<long>();
        var sigmas = new List<double>();
        float[] contrast = new float[batch];
        float[] brightness = new float[batch];
        bool photometric = false;
        for (int row = 0; row < batch; row++)
        {
            double angle = 0,
                scale = 1,
                shiftX = 0,
                shiftY = 0;
            bool rotate = Chance(options.RotationProbability, random);
            if (rotate)
                angle = Uniform(random, -options.MaxRotationDegrees, options.MaxRotationDegrees) * Math.PI / 180;
            bool zoom = Chance(options.ScaleProbability, random);
            if (zoom)
                scale = Uniform(random, options.MinScale, options.MaxScale);
            bool shift = Chance(options.ShiftProbability, random);
            if (shift)
            {
                shiftX = Uniform(random, -options.MaxShift, options.MaxShift) * width;
                shiftY = Uniform(random, -options.MaxShift, options.MaxShift) * height;
            }
            if (rotate || zoom || shift)
            {
                moved.Add(row);
                forwardMaps.AddRange(GridMap(angle, scale, shiftX, shiftY));
            }
            if (Chance(options.BlurProbability, random))
            {
                blurred.Add(row);
                sigmas.Add(Uniform(random, options.MinBlurSigma, options.MaxBlurSigma));
            }
            contrast[row] = Chance(options.ContrastProbability, random)
                ? (float)Uniform(random, options.MinContrast, options.MaxContrast)
                : 1f;
            brightness[row] = Chance(options.BrightnessProbability, random)
                ? (float)Uniform(random, -options.MaxBrightnessDelta, options.MaxBrightnessDelta)
                : 0f;
            photometric |= contrast[row] != 1f || brightness[row] != 0f;
        }
        if (moved.Count > 0)
            Move(images, targets, mask, moved.ToArray(), forwardMaps.ToArray());
        if (blurred.Count > 0)
            Blur(images, blurred.ToArray(), sigmas);
        if (photometric)
            AdjustContrastAndBrightness(images, contrast, brightness);
    }

    /// <summary>The forward map in grid coordinates as a row-major 2 x 3 matrix <c>[L | t]</c>: <c>g' = L g +
    /// t</c>.</summary>
    private float[] GridMap(double angle, double scale, double shiftX, double shiftY)
    {
        // In pixels about the center, u' = scale * R u + shift with R = [[cos, sin], [-sin, cos]], which turns
        // counterclockwise on screen because y points down. Grid units divide x by W/2 and y by H/2, which
        // rescales the off-diagonal terms when the image is not square.
        double halfWidth = width / 2.0,
            halfHeight = height / 2.0;
        double cos = scale * Math.Cos(angle),
            sin = scale * Math.Sin(angle);
        return
        [
            (float)cos,
            (float)(sin * halfHeight / halfWidth),
            (float)(shiftX / halfWidth),
            (float)(-sin * halfWidth / halfHeight),
            (float)cos,
            (float)(shiftY / halfHeight),
        ];
    }

    private void Move(Tensor images, Tensor targets, Tensor mask, long[] rows, float[] forwardMaps)
    {
        int n = rows.Length,
            coordinates = (int)targets.shape[1];
        var device = images.device;
        // affine_grid maps each output pixel to the input position it samples, so the pixels need the inverse map.
        float[] inverseMaps = new float[forwardMaps.Length];
        for (int i = 0; i < n; i++)
            Invert(forwardMaps.AsSpan(6 * i, 6), inverseMaps.AsSpan(6 * i, 6));
        var index = tensor(rows, device: device);
        var grid = nn.functional.affine_grid(
            tensor(inverseMaps, [n, 2, 3], device: device),
            [n, images.shape[1], height, width],
            align_corners: false
        );
        var warped = nn.functional.grid_sample(
            images.index_select(0, index),
            grid,
            GridSampleMode.Bilinear,
            GridSamplePaddingMode.Border,
            align_corners: false
        );
        images.index_copy_(0, index, warped);

        var forward = tensor(forwardMaps, [n, 2, 3], device: device);
        var points = targets.index_select(0, index).view(n, coordinates / 2, 2) + pixelCenterOffset;
        var movedPoints = points.bmm(forward.narrow(2, 0, 2).transpose(1, 2)) + forward.select(2, 2).unsqueeze(1);
        var inside = movedPoints
            .abs()
            .le(1)
            .all(2, keepdim: true)
            .expand(n, coordinates / 2, 2)
            .reshape(n, coordinates);
        targets.index_copy_(0, index, (movedPoints - pixelCenterOffset).reshape(n, coordinates));
        mask.index_copy_(0, index, mask.index_select(0, index) * inside.to_type(mask.dtype));
    }

    private static void Invert(ReadOnlySpan<float> map, Span<float> inverse)
    {
        double a = map[0],
            b = map[1],
            c = map[3],
            d = map[4];
        double determinant = a * d - b * c;
        double ia = d / determinant,
            ib = -b / determinant,
            ic = -c / determinant,
            id = a / determinant;
        inverse[0] = (float)ia;
        inverse[1] = (float)ib;
        inverse[2] = (float)(-(ia * map[2] + ib * map[5]));
        inverse[3] = (float)ic;
        inverse[4] = (float)id;
        inverse[5] = (float)(-(ic * map[2] + id * map[5]));
    }

    private void Blur(Tensor images, long[] rows, List<double> sigmas)
    {
        int n = rows.Length,
            channels = (int)images.shape[1],
            size = 2 * blurRadius + 1;
        float[] weights = new float[n * channels * size];
        for (int i = 0; i < n; i++)
        {
            var kernel = weights.AsSpan(i * channels * size, size);
            double sum = 0;
            for (int j = 0; j < size; j++)
            {
                double offset = j - blurRadius;
                kernel[j] = (float)Math.Exp(-offset * offset / (2 * sigmas[i] * sigmas[i]));
                sum += kernel[j];
            }
            for (int j = 0; j < size; j++)
                kernel[j] = (float)(kernel[j] / sum);
            for (int c = 1; c < channels; c++)
                kernel.CopyTo(weights.AsSpan((i * channels + c) * size, size));
        }
        var device = images.device;
        var index = tensor(rows, device: device);
        var horizontal = tensor(weights, [n * channels, 1, 1, size], device: device);
        // Every image channel becomes one group of a depthwise convolution, so each keeps its own sigma;
        // the 2-D Gaussian is separable into a horizontal and a vertical pass.
        var planes = images.index_select(0, index).reshape(1, n * channels, height, width);
        var padded = nn.functional.pad(
            planes,
            [blurRadius, blurRadius, blurRadius, blurRadius],
            PaddingModes.Replicate
        );
        var across = nn.functional.conv2d(padded, horizontal, groups: n * channels);
        var down = nn.functional.conv2d(across, horizontal.view(n * channels, 1, size, 1), groups: n * channels);
        images.index_copy_(0, index, down.view(n, channels, height, width));
    }

    private static void AdjustContrastAndBrightness(Tensor images, float[] contrast, float[] brightness)
    {
        long batch = images.shape[0];
        var factor = tensor(contrast, [batch, 1, 1, 1], device: images.device);
        var delta = tensor(brightness, [batch, 1, 1, 1], device: images.device);
        var mean = images.mean([1, 2, 3], keepdim: true);
        // Factor 1 and delta 0 leave a row bit for bit as it was: x * 1 + (mean * 0 + 0).
        images.mul_(factor).add_(mean * (1 - factor) + delta);
    }

    private static bool Chance(double probability, Random random) =>
        probability > 0 && random.NextDouble() < probability;

    private static double Uniform(Random random, double min, double max) => min + (max - min) * random.NextDouble();

    /// <inheritdoc/>
    public void Dispose() => pixelCenterOffset.Dispose();
}
