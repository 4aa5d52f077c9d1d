using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Onnx;
using Keypoints.MLNet.Tests.Tiers;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary>The exported ONNX graph computes what the TorchSharp network computes.</summary>
public sealed class OnnxParityTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void OnnxPredictions_MatchTorchSharpForward_On64RealFaces_Within1e3Pixels()
    {
        var model = fixture.Model;
        float[][] images = Columns.Vectors(fixture.Validation, "Image");
        Assert.Equal(64, images.Length);
        float[][] onnx = Columns.Vectors(model.Transform(fixture.Validation), "PredictedKeypoints");

        var scaling = new CoordinateScaling(model.Layout);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(images.SelectMany(i => i).Select(v => v / 255f).ToArray(), new long[] { 64, 1, 96, 96 });
        var torchPixels = fixture.Networks.Ensemble.Forward(input) * tensor(scaling.HalfSize) + tensor(scaling.Center);
        float[] expected = torchPixels.data<float>().ToArray();

        double maxDifference = 0;
        for (int r = 0; r < 64; r++)
        {
            for (int c = 0; c < 30; c++)
                maxDifference = Math.Max(maxDifference, Math.Abs(onnx[r][c] - expected[r * 30 + c]));
        }
        Assert.True(maxDifference <= 1e-3, $"max |ONNX - TorchSharp| = {maxDifference} px");
        // A network that predicts a constant would pass trivially; these faces must get different answers.
        Assert.True(onnx.Select(p => p[20]).Distinct().Count() > 10, "predictions do not depend on the image");
    }

    [TierFact(Needs.OnnxChecker)]
    public void ExportOnnx_WritesAGraphThatPassesTheOnnxChecker()
    {
        string path = Path.Combine(Path.GetTempPath(), $"keypoints-{Guid.NewGuid():N}.onnx");
        try
        {
            fixture.Model.ExportOnnx(path);
            Assert.Equal(fixture.Model.OnnxGraph.ToArray(), File.ReadAllBytes(path));
            OnnxChecker.Check(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
