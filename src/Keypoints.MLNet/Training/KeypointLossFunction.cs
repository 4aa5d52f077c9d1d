using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>Computes a <see cref="KeypointLoss"/> on a batch: the squared and absolute errors in the network's scaled
/// coordinates (one unit is half the input's side), Wing's in pixels of the input, which its width and curvature
/// are.</summary>
internal sealed class KeypointLossFunction
{
    private const double WingWidth = 10;
    private const double WingCurvature = 2;

    private readonly KeypointLoss loss;
    private readonly float[] halfSize;

    /// <param name="loss">Which loss.</param>
    /// <param name="halfSize">Per coordinate, the pixels that one unit of the network's scaled output spans (half the
    /// input's width or height).</param>
    public KeypointLossFunction(KeypointLoss loss, float[] halfSize)
    {
        this.loss = loss;
        this.halfSize = halfSize;
    }

    /// <summary>The mean loss over the labelled coordinates of a batch.</summary>
    /// <param name="prediction">The network's output, scaled coordinates, batch x 2K.</param>
    /// <param name="target">The labels, scaled as the output.</param>
    /// <param name="mask">1 where a coordinate is labelled, 0 where not.</param>
    public Tensor Compute(Tensor prediction, Tensor target, Tensor mask)
    {
        // Masked coordinates have a difference of 0, which every loss maps to 0.
        var difference = (prediction - target) * mask;
        var perCoordinate = loss switch
        {
            KeypointLoss.MeanSquaredError => difference.square(),
            KeypointLoss.MeanAbsoluteError => difference.abs(),
            KeypointLoss.Wing => Wing((difference * tensor(halfSize, device: difference.device)).abs()),
            _ => throw new ArgumentOutOfRangeException(nameof(loss), loss, "Unknown keypoint loss."),
        };
        return perCoordinate.sum() / mask.sum().clamp_min(1);
    }

    private static Tensor Wing(Tensor error)
    {
        double joint = WingWidth - (WingWidth * Math.Log(1 + (WingWidth / WingCurvature)));
        return where(error.lt(WingWidth), (error / WingCurvature).log1p() * WingWidth, error - joint);
    }
}
