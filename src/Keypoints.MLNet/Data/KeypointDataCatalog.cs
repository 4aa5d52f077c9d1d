using Keypoints.MLNet.Images;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Data;

/// <summary>Keypoint data loading and training-time data operations, reached as <c>mlContext.Data.Keypoints</c>.
/// The operations change the rows, so they belong before a trainer, never in a saved model.</summary>
public sealed class KeypointDataCatalog
{
    private readonly DataOperationsCatalog data;

    internal KeypointDataCatalog(DataOperationsCatalog data)
    {
        ArgumentNullException.ThrowIfNull(data);
        this.data = data;
    }

    /// <summary>Loads a Kaggle training or validation CSV (keypoint columns plus <c>Image</c>) as a streaming view with
    /// columns <c>Image</c> (grey levels 0-255) and <c>Keypoints</c> (pixel coordinates, NaN where empty).</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="imageWidth">Image width in pixels (96 in the competition).</param>
    /// <param name="imageHeight">Image height in pixels.</param>
    /// <exception cref="KeypointDataException">The header is malformed; row errors surface while reading, with line and
    /// column.</exception>
    public FkdDataView LoadFkdCsv(string path, int imageWidth = 96, int imageHeight = 96) =>
        FkdCsv.LoadTraining(path, imageWidth, imageHeight);

    /// <summary>Loads a keypoint CSV of image files (<c>image,x0,y0,...</c> or
    /// <c>image,&lt;name&gt;_x,&lt;name&gt;_y,...</c>, paths relative to the CSV's folder), checking every row and
    /// image, as columns <c>ImagePath</c> and <c>Keypoints</c>.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="limits">The largest image accepted, read from each image's header before it is decoded; null for
    /// <see cref="ImageDecodeLimits.Default"/>.</param>
    /// <exception cref="KeypointDataException">A malformed row, a missing, unreadable, oversized, truncated or corrupt
    /// image, or a keypoint outside its image.</exception>
    public KeypointImageDataView LoadImageCsv(string path, ImageDecodeLimits? limits = null) =>
        KeypointImageCsv.Load(data, path, limits);

    /// <summary>Loads a Kaggle <c>test.csv</c> (<c>ImageId,Image</c>) as a streaming view with columns <c>ImageId</c>
    /// and <c>Image</c>.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="imageWidth">Image width in pixels.</param>
    /// <param name="imageHeight">Image height in pixels.</param>
    public IDataView LoadFkdTestCsv(string path, int imageWidth = 96, int imageHeight = 96) =>
        FkdCsv.LoadTest(path, imageWidth, imageHeight);

    /// <summary>Appends the rows of several views into one lazy view, in order: for example training on a training file
    /// and a validation file together (<c>Concatenate([LoadImageCsv("train.csv"),
    /// LoadImageCsv("validation.csv")])</c>). The views must have the same columns of the same types and the same
    /// keypoints in the same order; the result has the first view's schema and layout, so trainers and evaluation find
    /// the layout as they do for a loader's view.</summary>
    /// <param name="parts">The views, at least one.</param>
    /// <param name="labelColumnName">Column of <c>2K</c> pixel coordinates whose layout every view must share.</param>
    /// <exception cref="ArgumentException">No view is given, or a view's columns or keypoints differ from the first
    /// view's; the message names the view (its file for a loader's view) and the first difference.</exception>
    public IDataView Concatenate(IEnumerable<IDataView> parts, string labelColumnName = "Keypoints")
    {
        ArgumentNullException.ThrowIfNull(parts);
        var views = parts.ToArray();
        if (views.Length == 0)
            throw new ArgumentException("Concatenate needs at least one data view.", nameof(parts));
        if (views.Length == 1)
            return views[0];
        var layout = KeypointLayoutResolver.Resolve(views[0], null, labelColumnName, nameof(parts));
        for (int i = 1; i < views.Length; i++)
        {
            if (SchemaDifference(views[0].Schema, views[i].Schema) is { } difference)
            {
                throw new ArgumentException(
                    $"{Describe(views[i], i)} cannot follow {Describe(views[0], 0)}: {difference}",
                    nameof(parts)
                );
            }

            var names = KeypointLayoutResolver.Resolve(views[i], null, labelColumnName, nameof(parts)).KeypointNames;
            int k = Enumerable
                .Range(0, Math.Max(names.Count, layout.KeypointCount))
                .FirstOrDefault(
                    j => j >= names.Count || j >= layout.KeypointCount || names[j] != layout.KeypointNames[j],
                    -1
                );
            if (k >= 0)
            {
                throw new ArgumentException(
                    $"{Describe(views[i], i)} cannot follow {Describe(views[0], 0)}: keypoint {k + 1} is "
                        + $"'{(k < names.Count ? names[k] : "missing")}' there and "
                        + $"'{(k < layout.KeypointCount ? layout.KeypointNames[k] : "missing")}' in the first.",
                    nameof(parts)
                );
            }
        }
        return new ConcatenatedView(views, layout);
    }

    private static string? SchemaDifference(DataViewSchema first, DataViewSchema other)
    {
        if (first.Count != other.Count)
            return $"it has {other.Count} columns, the first {first.Count}.";
        for (int c = 0; c < first.Count; c++)
        {
            if (first[c].Name != other[c].Name || !first[c].Type.Equals(other[c].Type))
            {
                return $"its column {c + 1} is '{other[c].Name}' of {other[c].Type}, the first's '{first[c].Name}' of "
                    + $"{first[c].Type}.";
            }
        }
        return null;
    }

    private static string Describe(IDataView view, int index) =>
        view switch
        {
            FkdDataView fkd => $"'{fkd.Path}'",
            KeypointImageDataView images => $"'{images.Path}'",
            _ => $"Data view {index + 1}",
        };

    /// <summary>Keeps the rows where the given keypoints (all keypoints when none are named) are labeled.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="layout">The keypoint set of the label column. Default <see langword="null"/>: the layout of a view
    /// from
    /// <see cref="LoadFkdCsv"/> or <see cref="LoadImageCsv"/>, else the one the label column's slot names
    /// describe.</param>
    /// <param name="keypointNames">Keypoints that must be present; null or empty means every keypoint.</param>
    /// <param name="labelColumnName">Column of <c>2K</c> pixel coordinates, NaN where missing.</param>
    /// <exception cref="ArgumentException">A name is not in the layout, or no layout is given and none can be
    /// found.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The label column is missing or does not fit the
    /// layout.</exception>
    public IDataView FilterMissing(
        IDataView data,
        KeypointLayout? layout = null,
        IEnumerable<string>? keypointNames = null,
        string labelColumnName = "Keypoints"
    )
    {
        ArgumentNullException.ThrowIfNull(data);
        layout = KeypointLayoutResolver.Resolve(data, layout, labelColumnName, nameof(layout));
        var label = SchemaChecks.RequireSingleVector(
            data.Schema,
            labelColumnName,
            "label",
            layout.CoordinateCount,
            $"coordinates of layout '{layout.Name}'"
        );
        string[] names = keypointNames?.ToArray() is { Length: > 0 } given ? given : layout.KeypointNames.ToArray();
        int[] coordinates = names.Select(layout.IndexOf).SelectMany(k => new[] { 2 * k, 2 * k + 1 }).ToArray();
        return new MissingKeypointFilter(data, label, coordinates);
    }

    /// <summary>Returns the rows followed by their left-right mirror images (offline doubling of the training set):
    /// pixels mirrored in every channel, x becomes <c>W - 1 + 2 * flipAxisOffset - x</c>, left and right keypoints
    /// swapped.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="layout">The keypoint set and image size. Default <see langword="null"/>: the layout of a view from
    /// <see cref="LoadFkdCsv"/>, else the one the label column's slot names describe, with the image size of the image
    /// column (a square of 1 or 3 channels).</param>
    /// <param name="imageColumnName">Column of <c>C * H * W</c> pixel values (CHW).</param>
    /// <param name="labelColumnName">Column of <c>2K</c> pixel coordinates.</param>
    /// <param name="flipAxisOffset">Where the labels' mirror axis lies, in pixels right of the image's center line: 0
    /// for labels with pixel centers at integer coordinates; a trained model's <c>KeypointCnnModel.FlipAxisOffset</c>
    /// for labels in another convention.</param>
    public IDataView AppendFlipped(
        IDataView data,
        KeypointLayout? layout = null,
        string imageColumnName = "Image",
        string labelColumnName = "Keypoints",
        double flipAxisOffset = 0
    )
    {
        ArgumentNullException.ThrowIfNull(data);
        layout = KeypointLayoutResolver.Resolve(
            data,
            layout,
            labelColumnName,
            nameof(layout),
            LayoutImageSize.FromColumn(imageColumnName)
        );
        var label = SchemaChecks.RequireSingleVector(
            data.Schema,
            labelColumnName,
            "label",
            layout.CoordinateCount,
            $"coordinates of layout '{layout.Name}'"
        );
        var image = SchemaChecks.RequireSingleVector(data.Schema, imageColumnName, "image");
        if (((VectorDataViewType)image.Type).Size % (layout.ImageWidth * layout.ImageHeight) != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(imageColumnName),
                $"The image column '{imageColumnName}' must hold whole {layout.ImageWidth} x {layout.ImageHeight} "
                    + $"channels; found {image.Type}."
            );
        }

        return new FlippedAppendView(data, image, label, layout, flipAxisOffset);
    }
}
