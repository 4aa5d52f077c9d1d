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
    /// <exception cref="KeypointDataException">The header is malformed; row errors surface while reading, with line and column.</exception>
    public FkdDataView LoadFkdCsv(string path, int imageWidth = 96, int imageHeight = 96) =>
        FkdCsv.LoadTraining(path, imageWidth, imageHeight);

    /// <summary>Loads a keypoint CSV of image files (<c>image,x0,y0,...</c> or <c>image,&lt;name&gt;_x,&lt;name&gt;_y,...</c>, paths
    /// relative to the CSV's folder), checking every row and image, as columns <c>ImagePath</c> and <c>Keypoints</c>.</summary>
    /// <param name="path">The CSV file.</param>
    /// <exception cref="KeypointDataException">A malformed row, a missing or unreadable image, or a keypoint outside its image.</exception>
    public KeypointImageDataView LoadImageCsv(string path) => KeypointImageCsv.Load(data, path);

    /// <summary>Loads a Kaggle <c>test.csv</c> (<c>ImageId,Image</c>) as a streaming view with columns <c>ImageId</c> and <c>Image</c>.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="imageWidth">Image width in pixels.</param>
    /// <param name="imageHeight">Image height in pixels.</param>
    public IDataView LoadFkdTestCsv(string path, int imageWidth = 96, int imageHeight = 96) =>
        FkdCsv.LoadTest(path, imageWidth, imageHeight);

    /// <summary>Keeps the rows where the given keypoints (all keypoints when none are named) are labeled.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="layout">The keypoint set of the label column; default <see cref="KeypointLayout.Kaggle15"/>.</param>
    /// <param name="keypointNames">Keypoints that must be present; null or empty means every keypoint.</param>
    /// <param name="labelColumnName">Column of <c>2K</c> pixel coordinates, NaN where missing.</param>
    /// <exception cref="ArgumentException">A name is not in the layout.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The label column is missing or does not fit the layout.</exception>
    public IDataView FilterMissing(IDataView data, KeypointLayout? layout = null, IEnumerable<string>? keypointNames = null,
        string labelColumnName = "Keypoints")
    {
        ArgumentNullException.ThrowIfNull(data);
        layout ??= KeypointLayout.Kaggle15;
        var label = SchemaChecks.RequireSingleVector(data.Schema, labelColumnName, "label", layout.CoordinateCount, $"coordinates of layout '{layout.Name}'");
        var names = keypointNames?.ToArray() is { Length: > 0 } given ? given : layout.KeypointNames.ToArray();
        var coordinates = names.Select(layout.IndexOf).SelectMany(k => new[] { 2 * k, 2 * k + 1 }).ToArray();
        return new MissingKeypointFilter(data, label, coordinates);
    }

    /// <summary>Returns the rows followed by their left-right mirror images (offline doubling of the training set):
    /// pixels mirrored in every channel, x becomes <c>W - 1 + 2 * flipAxisOffset - x</c>, left and right keypoints swapped.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="layout">The keypoint set and image size; default <see cref="KeypointLayout.Kaggle15"/>.</param>
    /// <param name="imageColumnName">Column of <c>C * H * W</c> pixel values (CHW).</param>
    /// <param name="labelColumnName">Column of <c>2K</c> pixel coordinates.</param>
    /// <param name="flipAxisOffset">Where the labels' mirror axis lies, in pixels right of the image's center line: 0 for labels
    /// with pixel centers at integer coordinates; a trained model's <c>KeypointCnnModel.FlipAxisOffset</c> for
    /// labels in another convention.</param>
    public IDataView AppendFlipped(IDataView data, KeypointLayout? layout = null, string imageColumnName = "Image",
        string labelColumnName = "Keypoints", double flipAxisOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        layout ??= KeypointLayout.Kaggle15;
        var label = SchemaChecks.RequireSingleVector(data.Schema, labelColumnName, "label", layout.CoordinateCount, $"coordinates of layout '{layout.Name}'");
        var image = SchemaChecks.RequireSingleVector(data.Schema, imageColumnName, "image");
        if (((VectorDataViewType)image.Type).Size % (layout.ImageWidth * layout.ImageHeight) != 0)
            throw new ArgumentOutOfRangeException(nameof(imageColumnName),
                $"The image column '{imageColumnName}' must hold whole {layout.ImageWidth} x {layout.ImageHeight} channels; found {image.Type}.");
        return new FlippedAppendView(data, image, label, layout, flipAxisOffset);
    }

}
