using Keypoints.MLNet.Layouts;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Mirrors a random half of each training batch left to right, as Nouri's FlipBatchIterator:
/// the image columns are reversed, each x target becomes (W - 1 - x) in pixels, and left/right
/// keypoints trade places (with their presence mask) according to the layout's flip pairs.
/// </summary>
internal sealed class BatchFlipper : IDisposable
{
    private readonly Tensor coordinatePermutation;
    private readonly Tensor sign;
    private readonly Tensor shift;

    /// <summary>Prepares the coordinate permutation and affine map on <paramref name="device"/>.</summary>
    public BatchFlipper(KeypointLayout layout, CoordinateScaling scaling, Device device)
    {
        var map = new CoordinateFlipMap(layout, scaling);
        coordinatePermutation = tensor(map.Permutation, device: device);
        sign = tensor(map.Sign, device: device);
        shift = tensor(map.Shift, device: device);
    }

    /// <summary>Flips the rows chosen by <paramref name="random"/> (half the batch, rounded down) in place.</summary>
    public void FlipHalf(Tensor images, Tensor targets, Tensor mask, Random random)
    {
        int batch = (int)images.shape[0];
        if (batch < 2)
            return;
        var rows = Enumerable.Range(0, batch).ToArray();
        random.Shuffle(rows);
        var chosen = rows.Take(batch / 2).Select(r => (long)r).ToArray();
        Flip(images, targets, mask, chosen);
    }

    /// <summary>Flips the given rows in place.</summary>
    public void Flip(Tensor images, Tensor targets, Tensor mask, long[] rows)
    {
        using var scope = NewDisposeScope();
        var index = tensor(rows, device: images.device);
        images.index_copy_(0, index, images.index_select(0, index).flip(3));
        targets.index_copy_(0, index, Mirror(targets.index_select(0, index)));
        mask.index_copy_(0, index, mask.index_select(0, index).index_select(1, coordinatePermutation));
    }

    /// <summary>The coordinates <c>[N, 2K]</c> (scaled units) of the mirrored faces: left and right keypoints swapped and x
    /// reflected. The map is its own inverse, so this also turns a prediction for a mirrored face back into one for the face.</summary>
    public Tensor Mirror(Tensor coordinates) => coordinates.index_select(1, coordinatePermutation) * sign + shift;

    /// <inheritdoc/>
    public void Dispose()
    {
        coordinatePermutation.Dispose();
        sign.Dispose();
        shift.Dispose();
    }
}
