using Keypoints.MLNet.Networks;
using Microsoft.ML;
using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Rows of an <see cref="IDataView"/> read once into contiguous arrays: normalized images and scaled
/// targets with a presence mask, ready to become three tensors that batches index into.
/// </summary>
internal sealed class TrainingData
{
    private TrainingData(float[] images, float[] targets, float[] mask, int rows, NetworkInput input, int coordinates)
    {
        Images = images;
        Targets = targets;
        Mask = mask;
        Rows = rows;
        Input = input;
        Coordinates = coordinates;
    }

    /// <summary>Normalized images, row after row, each <c>C * H * W</c> values.</summary>
    public float[] Images { get; }

    /// <summary>Scaled targets, row after row, each <c>2K</c> values; 0 where the label is missing.</summary>
    public float[] Targets { get; }

    /// <summary>1 where the coordinate is present, 0 where it is missing.</summary>
    public float[] Mask { get; }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Image shape of every row.</summary>
    public NetworkInput Input { get; }

    /// <summary>Coordinates per row, <c>2K</c>.</summary>
    public int Coordinates { get; }

    /// <summary>Reads the feature and label columns of every row of <paramref name="data"/>.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="featureColumn">Vector of <c>C * H * W</c> pixel values.</param>
    /// <param name="labelColumn">Vector of <c>2K</c> pixel coordinates, NaN where missing.</param>
    /// <param name="input">Image shape.</param>
    /// <param name="scaling">Coordinate scaling for the targets.</param>
    /// <param name="pixelOffset">Subtracted from every pixel value.</param>
    /// <param name="pixelScale">Multiplies every pixel value after the offset.</param>
    /// <param name="dropIncomplete">Whether to skip rows with any missing coordinate.</param>
    public static TrainingData Read(
        IDataView data, string featureColumn, string labelColumn, NetworkInput input,
        CoordinateScaling scaling, float pixelOffset, float pixelScale, bool dropIncomplete)
    {
        var features = data.Schema[featureColumn];
        var labels = data.Schema[labelColumn];
        int pixels = input.Size, coordinates = scaling.Center.Length;
        var images = new List<float[]>();
        var targets = new List<float>();
        var mask = new List<float>();
        using var cursor = data.GetRowCursor(new[] { features, labels });
        var getImage = cursor.GetGetter<VBuffer<float>>(features);
        var getLabel = cursor.GetGetter<VBuffer<float>>(labels);
        VBuffer<float> image = default, label = default;
        var row = new float[coordinates];
        while (cursor.MoveNext())
        {
            getLabel(ref label);
            label.CopyTo(row);
            if (dropIncomplete && Array.Exists(row, float.IsNaN))
                continue;
            getImage(ref image);
            var normalized = new float[pixels];
            var values = image.DenseValues().GetEnumerator();
            for (int i = 0; i < pixels && values.MoveNext(); i++)
                normalized[i] = (values.Current - pixelOffset) * pixelScale;
            images.Add(normalized);
            for (int i = 0; i < coordinates; i++)
            {
                bool present = !float.IsNaN(row[i]);
                targets.Add(present ? scaling.ToTarget(row[i], i) : 0f);
                mask.Add(present ? 1f : 0f);
            }
        }
        var flat = new float[(long)images.Count * pixels];
        for (int r = 0; r < images.Count; r++)
            images[r].CopyTo(flat, (long)r * pixels);
        return new TrainingData(flat, targets.ToArray(), mask.ToArray(), images.Count, input, coordinates);
    }

    /// <summary>The rows at <paramref name="rowIndices"/>, in that order.</summary>
    public TrainingData Subset(IReadOnlyList<int> rowIndices)
    {
        int pixels = Input.Size;
        var images = new float[(long)rowIndices.Count * pixels];
        var targets = new float[rowIndices.Count * Coordinates];
        var mask = new float[rowIndices.Count * Coordinates];
        for (int i = 0; i < rowIndices.Count; i++)
        {
            int r = rowIndices[i];
            Array.Copy(Images, (long)r * pixels, images, (long)i * pixels, pixels);
            Array.Copy(Targets, r * Coordinates, targets, i * Coordinates, Coordinates);
            Array.Copy(Mask, r * Coordinates, mask, i * Coordinates, Coordinates);
        }
        return new TrainingData(images, targets, mask, rowIndices.Count, Input, Coordinates);
    }

    /// <summary>Largest normalized pixel value, to catch pixels normalized twice.</summary>
    public float MaxPixel() => Images.Length == 0 ? 0f : Images.Max();

    /// <summary>Copies the rows to <paramref name="device"/> as <c>[N, C, H, W]</c> images and <c>[N, 2K]</c> targets and mask.</summary>
    public (Tensor Images, Tensor Targets, Tensor Mask) ToTensors(Device device) =>
        (tensor(Images, new long[] { Rows, Input.Channels, Input.Height, Input.Width }, device: device),
         tensor(Targets, new long[] { Rows, Coordinates }, device: device),
         tensor(Mask, new long[] { Rows, Coordinates }, device: device));
}
