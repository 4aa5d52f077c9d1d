using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary>Test-time flip averaging inside the ONNX graph.</summary>
public sealed class TestTimeFlipTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private const int Side = 96;

    [Fact]
    public void FlipAveragedGraph_MatchesTorchSharpAverageOfFaceAndUnmirroredMirror_Within1e3Pixels()
    {
        using var tta = fixture.Model.WithTestTimeFlip(true);
        Assert.True(tta.TestTimeFlip);
        float[][] images = Columns.Vectors(fixture.Validation, "Image");
        float[][] onnx = Columns.Vectors(tta.Transform(fixture.Validation), "PredictedKeypoints");

        float[][] direct = TorchPixels(images, mirror: false);
        float[][] mirrored = TorchPixels(images, mirror: true);
        var layout = fixture.Model.Layout;
        // The training calibrated the labels' mirror axis (a != 0), so the test also checks that the graph un-mirrors
        // about it.
        Assert.NotEqual(0, fixture.Model.FlipAxisOffset);
        float axis = Side - 1 + 2 * (float)fixture.Model.FlipAxisOffset;
        double maxDifference = 0,
            maxFlipEffect = 0;
        for (int r = 0; r < images.Length; r++)
        {
            for (int k = 0; k < layout.KeypointCount; k++)
            {
                int source = layout.FlipPermutation[k];
                // Undo the mirror: the mirrored face's keypoint 'source' is this face's keypoint k, at x' = W - 1 + 2a
                // - x.
                float x = (direct[r][2 * k] + (axis - mirrored[r][2 * source])) / 2;
                float y = (direct[r][2 * k + 1] + mirrored[r][2 * source + 1]) / 2;
                maxDifference = Math.Max(
                    maxDifference,
                    Math.Max(Math.Abs(onnx[r][2 * k] - x), Math.Abs(onnx[r][2 * k + 1] - y))
                );
                maxFlipEffect = Math.Max(maxFlipEffect, Math.Abs(onnx[r][2 * k] - direct[r][2 * k]));
            }
        }
        Assert.True(maxDifference <= 1e-3, $"max |ONNX - TorchSharp| = {maxDifference} px");
        // If the graph ignored the mirrored half, the average would equal the direct prediction.
        Assert.True(maxFlipEffect > 0.01, $"the flip changed no prediction by more than {maxFlipEffect} px");
    }

    [Fact]
    public void FlipAveragedPrediction_OfMirroredFace_IsTheMirrorOfThePrediction()
    {
        using var tta = fixture.Model.WithTestTimeFlip(true);
        float[][] images = Columns.Vectors(fixture.Validation, "Image").Take(16).ToArray();
        float[][] original = Predict(tta, images);
        float[][] ofMirrored = Predict(tta, images.Select(Mirror).ToArray());
        var layout = fixture.Model.Layout;
        float axis = Side - 1 + 2 * (float)fixture.Model.FlipAxisOffset;
        for (int r = 0; r < images.Length; r++)
        {
            for (int k = 0; k < layout.KeypointCount; k++)
            {
                int source = layout.FlipPermutation[k];
                Assert.Equal(axis - ofMirrored[r][2 * source], original[r][2 * k], 2e-3f);
                Assert.Equal(ofMirrored[r][2 * source + 1], original[r][2 * k + 1], 2e-3f);
            }
        }
    }

    [Fact]
    public void WithTestTimeFlip_False_GivesTheOriginalPredictions()
    {
        using var plain = fixture.Model.WithTestTimeFlip(false);
        Assert.False(plain.TestTimeFlip);
        Assert.Equal(
            Columns.Vectors(fixture.Model.Transform(fixture.Validation), "PredictedKeypoints"),
            Columns.Vectors(plain.Transform(fixture.Validation), "PredictedKeypoints")
        );
    }

    private float[][] TorchPixels(float[][] images, bool mirror)
    {
        var scaling = new CoordinateScaling(fixture.Model.Layout);
        using var scope = NewDisposeScope();
        var input = tensor(
            images.SelectMany(i => i).Select(v => v / 255f).ToArray(),
            new long[] { images.Length, 1, Side, Side }
        );
        if (mirror)
            input = input.flip(3);
        var pixels = fixture.Networks.Ensemble.Forward(input) * tensor(scaling.HalfSize) + tensor(scaling.Center);
        return pixels.data<float>().ToArray().Chunk(scaling.Center.Length).ToArray();
    }

    private float[][] Predict(ITransformer model, float[][] images)
    {
        var data = fixture.Ml.Data.LoadFromEnumerable(images.Select(i => new Face { Image = i }));
        return Columns.Vectors(model.Transform(data), "PredictedKeypoints");
    }

    private static float[] Mirror(float[] image)
    {
        float[] mirrored = new float[image.Length];
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
                mirrored[y * Side + x] = image[y * Side + Side - 1 - x];
        }
        return mirrored;
    }

    private sealed class Face
    {
        [VectorType(Side * Side)]
        public float[] Image { get; set; } = [];
    }
}
