using Keypoints.MLNet.Layouts;
using Microsoft.ML;

namespace Keypoints.MLNet.Data;

/// <summary>
/// A keypoint CSV of image files (first column <c>image</c>, a path relative to the CSV's folder, then coordinate
/// pairs) as an <see cref="IDataView"/> with the columns <c>ImagePath</c> (the image's full path) and
/// <c>Keypoints</c> (<c>2K</c> pixel coordinates in the original image, NaN where missing), and the layout its header
/// describes. Created by <see cref="KeypointImageCsv.Load"/>; every row was checked when it was loaded.
/// </summary>
public sealed class KeypointImageDataView : IDataView
{
    private readonly IDataView rows;

    internal KeypointImageDataView(IDataView rows, KeypointLayout layout, string path, IReadOnlyList<string> imagePaths)
    {
        this.rows = rows;
        Layout = layout;
        Path = path;
        ImagePaths = imagePaths;
    }

    /// <summary>The full path of the CSV file.</summary>
    public string Path { get; }

    /// <summary>The keypoints of the header, with the size of the first row's image as image size.</summary>
    public KeypointLayout Layout { get; }

    /// <summary>The full path of each row's image, in row order.</summary>
    public IReadOnlyList<string> ImagePaths { get; }

    /// <inheritdoc/>
    public bool CanShuffle => rows.CanShuffle;

    /// <inheritdoc/>
    public DataViewSchema Schema => rows.Schema;

    /// <inheritdoc/>
    public long? GetRowCount() => rows.GetRowCount();

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        rows.GetRowCursor(columnsNeeded, rand);

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(
        IEnumerable<DataViewSchema.Column> columnsNeeded,
        int n,
        Random? rand = null
    ) => rows.GetRowCursorSet(columnsNeeded, n, rand);
}
