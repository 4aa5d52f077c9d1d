using Keypoints.MLNet.Images;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Photos;

/// <summary>The check in front of a <see cref="KeypointPhotoModel"/>'s chain while it runs in this process: a custom
/// mapping (with no contract, so never saved) that replaces the image path column with itself once <see
/// cref="GuardedImageDecoder.Verify"/> has accepted the file, so that ML.NET's <c>LoadImages</c>, which decodes
/// whatever it is given, reads only paths that passed. A saved chain loads without it (docs/photos.md,
/// "Limits").</summary>
internal static class PhotoFileGuard
{
    /// <summary>Fits the check for the path column <paramref name="pathColumn"/>.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="pathColumn">The input column of image file paths, replaced by the checked one.</param>
    /// <param name="limits">The largest photo accepted.</param>
    /// <param name="paths">Any view with the path column (its rows are not read).</param>
    /// <returns>A transformer whose path column getter throws <see cref="InvalidDataException"/> (or <see
    /// cref="FileNotFoundException"/>) naming a file that is empty, not an image, over <paramref name="limits"/>,
    /// truncated or corrupt.</returns>
    public static ITransformer Fit(MLContext mlContext, string pathColumn, ImageDecodeLimits limits, IDataView paths)
    {
        var definition = SchemaDefinition.Create(typeof(PathRow));
        definition[0].ColumnName = pathColumn;
        return mlContext
            .Transforms.CustomMapping<PathRow, PathRow>(
                (input, output) =>
                {
                    GuardedImageDecoder.Verify(input.Path, limits);
                    output.Path = input.Path;
                },
                contractName: null,
                definition,
                definition
            )
            .Fit(paths);
    }

    /// <summary>A row of the path column.</summary>
    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }
}
