using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Data;

/// <summary>
/// Decides the keypoint layout of a label column, the same way for every entry point of the library (trainers,
/// evaluation and data operations): the layout the caller gives; else the layout of a view from the library's loaders
/// (<see cref="FkdDataView.Layout"/>, <see cref="KeypointImageDataView.Layout"/>, or the first view's of
/// <see cref="KeypointDataCatalog.Concatenate"/>) when its keypoint column is the label column;
/// else the label column's slot names (<c>name_x, name_y</c> or <c>x0, y0, ...</c>, as the loaders attach them, and as
/// they survive ML.NET's row operations), with the image size from the caller or from the size of the image column (a
/// square image of 1 or 3 channels). Otherwise it fails with an <see cref="ArgumentException"/> that names the column:
/// a silent guess would train or score the wrong keypoints.
/// </summary>
internal static class KeypointLayoutResolver
{
    /// <summary>Image size of a layout whose size no caller needs (evaluation, filtering): coordinates are compared as
    /// they are.</summary>
    private const int UnknownSize = 1;

    /// <summary>Resolves the layout of <paramref name="labelColumnName"/> in <paramref name="data"/>.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="layout">The caller's explicit layout, which wins when given.</param>
    /// <param name="labelColumnName">The column of <c>2K</c> pixel coordinates.</param>
    /// <param name="parameterName">The option or parameter that sets the layout, named in the error message.</param>
    /// <param name="imageSize">Where the image size of a layout found from slot names comes from; null when the caller
    /// does not need it. A given layout or a loader's layout keeps its own.</param>
    /// <exception cref="ArgumentException">No layout can be found, the slot names are not coordinate pairs, or the
    /// image column is not square.</exception>
    public static KeypointLayout Resolve(
        IDataView data,
        KeypointLayout? layout,
        string labelColumnName,
        string parameterName,
        LayoutImageSize? imageSize = null
    )
    {
        ArgumentNullException.ThrowIfNull(data);
        if (layout is not null)
            return layout;
        var fromView = LayoutOfLoader(data, labelColumnName);
        if (fromView is not null)
            return fromView;
        string[] coordinates = SlotNamesOf(data, labelColumnName, parameterName);
        var (width, height) = imageSize switch
        {
            null => (UnknownSize, UnknownSize),
            { Size: { } known } => known,
            _ => SquareImageSize(data.Schema, imageSize.ImageColumnName!, imageSize.Channels, parameterName),
        };
        try
        {
            var found = KeypointLayout.FromCoordinateColumns(labelColumnName, coordinates, width, height);
            // Without an image size, the built-in layouts keep their own.
            if (imageSize is null)
            {
                return new[] { KeypointLayout.Kaggle15, KeypointLayout.Ibug68 }.FirstOrDefault(b =>
                    b.Name == found.Name
                ) ?? found;
            }

            return found;
        }
        catch (FormatException e)
        {
            throw new ArgumentException(
                $"The slot names of the label column '{labelColumnName}' do not describe keypoints: {e.Message} "
                    + $"Set {parameterName}.",
                parameterName,
                e
            );
        }
    }

    /// <summary>The layout of a view from the library's loaders, which name their keypoint column "Keypoints"; null for
    /// another view or another column.</summary>
    private static KeypointLayout? LayoutOfLoader(IDataView data, string labelColumnName) =>
        labelColumnName != FkdCsv.KeypointsColumnName
            ? null
            : data switch
            {
                FkdDataView fkd => fkd.Layout,
                KeypointImageDataView images => images.Layout,
                ConcatenatedView concatenated => concatenated.Layout,
                _ => null,
            };

    private static string[] SlotNamesOf(IDataView data, string labelColumnName, string parameterName)
    {
        var label = data.Schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentException(
                $"The label column '{labelColumnName}' was not found, so its keypoint layout is unknown. "
                    + $"Columns: {string.Join(", ", data.Schema.Where(c => !c.IsHidden).Select(c => c.Name))}.",
                parameterName
            );
        return SlotNames(label)
            ?? throw new ArgumentException(
                $"The keypoint layout of the label column '{labelColumnName}' is unknown: the column has no slot names "
                    + "('<name>_x', '<name>_y' or 'x0', 'y0', ...) and the data view is not one of the library's "
                    + $"loaders. Set {parameterName} "
                    + "(for example KeypointLayout.Kaggle15), or load the data with LoadFkdCsv or LoadImageCsv.",
                parameterName
            );
    }

    /// <summary>Whether <paramref name="columnName"/> is a vector column whose slot names could describe a
    /// layout.</summary>
    public static bool HasSlotNames(DataViewSchema schema, string columnName) =>
        schema.GetColumnOrNull(columnName) is { } column && SlotNames(column) is not null;

    private static string[]? SlotNames(DataViewSchema.Column label)
    {
        if (label.Type is not VectorDataViewType { Size: > 0 } || !label.HasSlotNames())
            return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        label.GetSlotNames(ref names);
        string[] coordinates = names.DenseValues().Select(n => n.ToString()).ToArray();
        return coordinates.All(n => n.Length > 0) ? coordinates : null;
    }

    /// <summary>The side of a square image of <paramref name="channels"/> (1 or 3 when null) channels that fills the
    /// column.</summary>
    private static (int Width, int Height) SquareImageSize(
        DataViewSchema schema,
        string imageColumnName,
        int? channels,
        string parameterName
    )
    {
        var column = schema.GetColumnOrNull(imageColumnName);
        if (column?.Type is not VectorDataViewType { Size: > 0 } vector)
        {
            throw new ArgumentException(
                $"The image column '{imageColumnName}' must be a known-size vector of pixels to tell the image size "
                    + $"of a layout found "
                    + $"from slot names; found {column?.Type.ToString() ?? "no such column"}. Set {parameterName}.",
                parameterName
            );
        }

        foreach (int c in channels is int given ? [given] : new[] { 1, 3 })
        {
            if (vector.Size % c != 0)
                continue;
            int side = (int)Math.Round(Math.Sqrt(vector.Size / c));
            if (side * side * c == vector.Size)
                return (side, side);
        }
        throw new ArgumentException(
            $"The image column '{imageColumnName}' holds {vector.Size} values, which is not a square image of "
                + $"{(channels is int n ? $"{n} channel{(n == 1 ? "" : "s")}" : "1 or 3 channels")}, so the layout's "
                + $"image size is unknown. "
                + $"Set {parameterName} with the image size.",
            parameterName
        );
    }
}
