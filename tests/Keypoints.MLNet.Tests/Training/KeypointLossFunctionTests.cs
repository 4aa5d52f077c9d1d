using Keypoints.MLNet.Training;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>Each <see cref="KeypointLoss"/> computed by hand on one row of four coordinates, the last
/// unlabelled.</summary>
public sealed class KeypointLossFunctionTests
{
    // Half an input side of 48 px: a scaled error of 0.25 is 12 px, 0.0625 is 3 px.
    private static readonly float[] HalfSize = [48, 48, 48, 48];

    [Theory]
    [InlineData(KeypointLoss.MeanSquaredError, (0.0625 + 0.00390625 + 0) / 3)]
    [InlineData(KeypointLoss.MeanAbsoluteError, (0.25 + 0.0625 + 0) / 3)]
    [InlineData(KeypointLoss.Wing, (12 - (10 - (10 * 1.791759469228055)) + (10 * 0.9162907318741551) + 0) / 3)]
    public void Compute_AveragesTheLossOverTheLabelledCoordinates(KeypointLoss loss, double expected)
    {
        using var scope = NewDisposeScope();
        var prediction = tensor(new[] { 0.25f, -0.0625f, 0f, 5f }, [1, 4]);
        var target = zeros(1, 4);
        var mask = tensor(new[] { 1f, 1f, 1f, 0f }, [1, 4]);

        double actual = new KeypointLossFunction(loss, HalfSize).Compute(prediction, target, mask).item<float>();

        Assert.Equal(expected, actual, 4);
    }
}
