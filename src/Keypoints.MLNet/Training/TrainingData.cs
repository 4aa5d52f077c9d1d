using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Training;

/// <summary>
/// Rows of an <see cref="IDataView"/> read once into contiguous arrays: normalized images and scaled
/// targets with a presence mask, ready to become three tensors that batches index into.
/// </summary>
internal sealed class TrainingData
{
    private readonly List<float[]> images;

    private TrainingData(
        List<float[]> images,
        float[] targets,
        float[] mask,
        NetworkInput input,
        int coordinates,
        float maxPixel
    )
    {
        this.images = images;
        Targets = targets;
        Mask = mask;
        Input = input;
        Coordinates = coordinates;
        MaxPixel = maxPixel;
    }

    /// <summary>Scaled targets, row after row, each <c>2K</c> values; 0 where the label is missing.</summary>
    public float[] Targets { get; }

    /// <summary>1 where the coordinate is present, 0 where it is missing.</summary>
    public float[] Mask { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => images.Count;

    /// <summary>Image shape of every row.</summary>
    public NetworkInput Input { get; }

    /// <summary>Coordinates per row, <c>2K</c>.</summary>
    public int Coordinates { get; }

    /// <summary>Largest normalized pixel value, to catch pixels normalized twice.</summary>
    public float MaxPixel { get; }

    /// <summary>Reads the feature and label columns of every row of <paramref name="data"/>: the columns and the pixel
    /// mapping (<c>(value - PixelOffset) * PixelScale</c>) are <paramref name="options"/>'s.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="options">Names the feature column (<c>C * H * W</c> pixel values) and the label column (<c>2K</c>
    /// pixel coordinates, NaN where missing), and gives the pixel offset and scale.</param>
    /// <param name="input">Image shape.</param>
    /// <param name="scaling">Coordinate scaling for the targets.</param>
    /// <param name="dropIncomplete">Whether to skip rows with any missing coordinate.</param>
    /// <remarks>A data error that ML.NET wraps while the rows are read reaches the caller unwrapped (<see
    /// cref="WrappedDataError"/>).</remarks>
    public static TrainingData Read(
        IDataView data,
        KeypointTrainingOptions options,
        NetworkInput input,
        CoordinateScaling scaling,
        bool dropIncomplete
    ) => WrappedDataError.Unwrap(() => ReadRows(data, options, input, scaling, dropIncomplete));

    private static TrainingData ReadRows(
        IDataView data,
        KeypointTrainingOptions options,
        NetworkInput input,
        CoordinateScaling scaling,
        bool dropIncomplete
    )
    {
        var features = data.Schema[options.FeatureColumnName];
        var labels = data.Schema[options.LabelColumnName];
        float pixelOffset = options.PixelOffset,
            pixelScale = options.PixelScale;
        int pixels = input.Size,
            coordinates = scaling.Center.Length;
        // One small array per row (not one large block) so nothing lands on the large-object heap
        // and the rows can be dropped as soon as they are in a tensor.
        var images = new List<float[]>();
        var targets = new List<float>();
        var mask = new List<float>();
        float maxPixel = float.NegativeInfinity;
        using var cursor = data.GetRowCursor(new[] { features, labels });
        var getImage = cursor.GetGetter<VBuffer<float>>(features);
        var getLabel = cursor.GetGetter<VBuffer<float>>(labels);
        VBuffer<float> image = default,
            label = default;
        float[] row = new float[coordinates];
        while (cursor.MoveNext())
        {
            getLabel(ref label);
            label.CopyTo(row);
            if (dropIncomplete && Array.Exists(row, float.IsNaN))
                continue;
            getImage(ref image);
            float[] normalized = new float[pixels];
            image.CopyTo(normalized);
            for (int i = 0; i < pixels; i++)
            {
                normalized[i] = (normalized[i] - pixelOffset) * pixelScale;
                maxPixel = Math.Max(maxPixel, normalized[i]);
            }
            images.Add(normalized);
            for (int i = 0; i < coordinates; i++)
            {
                bool present = !float.IsNaN(row[i]);
                targets.Add(present ? scaling.ToTarget(row[i], i) : 0f);
                mask.Add(present ? 1f : 0f);
            }
        }
        return new TrainingData(images, targets.ToArray(), mask.ToArray(), input, coordinates, maxPixel);
    }

    /// <summary>Every row's labels back in pixels, NaN where missing: row <c>r</c> is <c>[r * 2K, (r + 1) *
    /// 2K)</c>.</summary>
    public float[] PixelLabels(CoordinateScaling scaling)
    {
        float[] pixels = new float[Targets.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            int c = i % Coordinates;
            pixels[i] = Mask[i] > 0 ? Targets[i] * scaling.HalfSize[c] + scaling.Center[c] : float.NaN;
        }
        return pixels;
    }

    /// <summary>The rows at <paramref name="rowIndices"/>, in that order (images are shared, not copied).</summary>
    public TrainingData Subset(IReadOnlyList<int> rowIndices)
    {
        float[] targets = new float[rowIndices.Count * Coordinates];
        float[] mask = new float[rowIndices.Count * Coordinates];
        for (int i = 0; i < rowIndices.Count; i++)
        {
            Array.Copy(Targets, rowIndices[i] * Coordinates, targets, i * Coordinates, Coordinates);
            Array.Copy(Mask, rowIndices[i] * Coordinates, mask, i * Coordinates, Coordinates);
        }
        return new TrainingData(
            rowIndices.Select(r => images[r]).ToList(),
            targets,
            mask,
            Input,
            Coordinates,
            MaxPixel
        );
    }

    /// <summary>The rows where every one of <paramref name="coordinates"/> is present, with only those coordinates as
    /// targets (in that order): the training set of a specialist.</summary>
    public TrainingData SelectCoordinates(IReadOnlyList<int> coordinates)
    {
        int[] rows = Enumerable
            .Range(0, Rows)
            .Where(r => coordinates.All(c => Mask[r * Coordinates + c] > 0))
            .ToArray();
        float[] targets = new float[rows.Length * coordinates.Count];
        float[] mask = new float[rows.Length * coordinates.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int j = 0; j < coordinates.Count; j++)
            {
                targets[i * coordinates.Count + j] = Targets[rows[i] * Coordinates + coordinates[j]];
                mask[i * coordinates.Count + j] = 1f;
            }
        }
        return new TrainingData(
            rows.Select(r => images[r]).ToList(),
            targets,
            mask,
            Input,
            coordinates.Count,
            MaxPixel
        );
    }

    /// <summary>Copies the rows to <paramref name="device"/> as <c>[N, C, H, W]</c> images and <c>[N, 2K]</c> targets
    /// and mask.</summary>
    public TrainingTensors ToTensors(Device device)
    {
        var all = empty(new long[] { Rows, Input.Channels, Input.Height, Input.Width });
        var destination = all.data<float>();
        long offset = 0;
        foreach (float[] row in images)
        {
            destination.CopyFrom(row, 0, offset);
            offset += row.Length;
        }
        return new TrainingTensors(
            device.type == DeviceType.CPU ? all : all.to(device, disposeAfter: true),
            tensor(Targets, new long[] { Rows, Coordinates }, device: device),
            tensor(Mask, new long[] { Rows, Coordinates }, device: device)
        );
    }
}
