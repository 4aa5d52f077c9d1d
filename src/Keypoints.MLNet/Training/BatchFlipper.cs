using Keypoints.MLNet.Layouts;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Mirrors a random half of each training batch left to right, as Nouri's FlipBatchIterator:
/// the image columns are reversed, each x target becomes (W - 1 + 2a - x) in pixels (a: the labels' mirror axis
/// offset, see <see cref="CoordinateFlipMap"/>), and left/right keypoints trade places (with their presence mask)
/// according to the layout's flip pairs.
/// </summary>
internal sealed class BatchFlipper : IDisposable
{
    private readonly KeypointLayout layout;
    private readonly CoordinateScaling scaling;
    private readonly Tensor coordinatePermutation;
    private readonly Tensor sign;
    private Tensor shift;

    /// <summary>Prepares the coordinate permutation and affine map on <paramref name="device"/>.</summary>
    public BatchFlipper(KeypointLayout layout, CoordinateScaling scaling, Device device, double axisOffset = 0)
    {
        this.layout = layout;
        this.scaling = scaling;
        var map = new CoordinateFlipMap(layout, scaling, axisOffset);
        coordinatePermutation = tensor(map.Permutation, device: device);
        sign = tensor(map.Sign, device: device);
        shift = tensor(map.Shift, device: device);
        AxisOffset = axisOffset;
    }

    /// <summary>The labels' mirror axis offset in pixels that the flips use.</summary>
    public double AxisOffset { get; private set; }

    /// <summary>Moves the labels' mirror axis to <paramref name="axisOffset"/> pixels right of the image's center
    /// line.</summary>
    public void SetAxisOffset(double axisOffset)
    {
        var moved = tensor(new CoordinateFlipMap(layout, scaling, axisOffset).Shift, device: shift.device);
        shift.Dispose();
        shift = moved;
        AxisOffset = axisOffset;
    }

    /// <summary>Flips the rows chosen by <paramref name="random"/> (half the batch, rounded down) in place and returns
    /// them.</summary>
    public long[] FlipHalf(Tensor images, Tensor targets, Tensor mask, Random random)
    {
        int batch = (int)images.shape[0];
        if (batch < 2)
            return [];
        int[] rows = Enumerable.Range(0, batch).ToArray();
        random.Shuffle(rows);
        long[] chosen = rows.Take(batch / 2).Select(r => (long)r).ToArray();
        Flip(images, targets, mask, chosen);
        return chosen;
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

    /// <summary>The coordinates <c>[N, 2K]</c> (scaled units) of the mirrored faces: left and right keypoints swapped
    /// and x reflected. The map is its own inverse, so this also turns a prediction for a mirrored face back into one
    /// for the face.</summary>
    public Tensor Mirror(Tensor coordinates) => coordinates.index_select(1, coordinatePermutation) * sign + shift;

    /// <inheritdoc/>
    public void Dispose()
    {
        coordinatePermutation.Dispose();
        sign.Dispose();
        shift.Dispose();
    }
}
