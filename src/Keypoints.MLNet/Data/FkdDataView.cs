using Keypoints.MLNet.Layouts;
using Microsoft.ML;

namespace Keypoints.MLNet.Data;

/// <summary>
/// A labelled Kaggle keypoint file (<c>training.csv</c>, <c>validation.csv</c>) as a streaming
/// <see cref="IDataView"/> with the columns <c>Image</c> and <c>Keypoints</c>, and the
/// <see cref="KeypointLayout"/> that its header describes. Created by <see cref="FkdCsv.LoadTraining"/>.
/// </summary>
/// <remarks>
/// Nothing is cached: each cursor reads the file from disk, so the row count is not known in
/// advance (<see cref="GetRowCount"/> is <see langword="null"/>) and rows come in file order
/// (<see cref="CanShuffle"/> is <see langword="false"/>). Use <c>mlContext.Data.Cache</c> for
/// repeated passes or shuffling.
/// </remarks>
public sealed class FkdDataView : IDataView
{
    private readonly FkdCsvView file;

    internal FkdDataView(FkdCsvView file, KeypointLayout layout)
    {
        this.file = file;
        Layout = layout;
    }

    /// <summary>The full path of the file.</summary>
    public string Path => this.file.Path;

    /// <summary>The keypoints of the header's <c>_x</c>/<c>_y</c> columns, in their order, with the image size
    /// given at load; <see cref="KeypointLayout.Kaggle15"/> for the competition's 30 columns and 96 x 96
    /// images.</summary>
    public KeypointLayout Layout { get; }

    /// <summary>The schema: <c>Image</c>, <c>Vector&lt;Single, width * height&gt;</c> of grey levels 0-255, and
    /// <c>Keypoints</c>, <c>Vector&lt;Single, 2K&gt;</c> of pixel coordinates with NaN for missing labels.</summary>
    public DataViewSchema Schema => this.file.Schema;

    /// <summary>Always <see langword="false"/>: rows are read in file order.</summary>
    public bool CanShuffle => this.file.CanShuffle;

    /// <summary>Always <see langword="null"/>: the file is not read ahead to count its rows.</summary>
    /// <returns><see langword="null"/>.</returns>
    public long? GetRowCount() => this.file.GetRowCount();

    /// <summary>Opens the file and returns a cursor that parses only the columns in <paramref
    /// name="columnsNeeded"/>.</summary>
    /// <param name="columnsNeeded">The columns whose getters will be used; leave <c>Image</c> out for a fast pass over
    /// the labels.</param>
    /// <param name="rand">Ignored: the view cannot shuffle.</param>
    /// <returns>A cursor positioned before the first row; dispose it to close the file.</returns>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        this.file.GetRowCursor(columnsNeeded, rand);

    /// <summary>Returns one cursor, as <see cref="GetRowCursor"/> does: a file is read sequentially.</summary>
    /// <param name="columnsNeeded">The columns whose getters will be used.</param>
    /// <param name="n">The number of cursors wanted; one is returned whatever it is.</param>
    /// <param name="rand">Ignored: the view cannot shuffle.</param>
    /// <returns>An array of one cursor.</returns>
    public DataViewRowCursor[] GetRowCursorSet(
        IEnumerable<DataViewSchema.Column> columnsNeeded,
        int n,
        Random? rand = null
    ) => this.file.GetRowCursorSet(columnsNeeded, n, rand);
}
