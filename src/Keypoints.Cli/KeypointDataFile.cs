using Keypoints.MLNet;
using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;

namespace Keypoints.Cli;

/// <summary>A labelled keypoint CSV in either layout: Kaggle's (an <c>Image</c> column of grey levels) or image files
/// (first column <c>image</c>, a path relative to the CSV's folder).</summary>
internal sealed record KeypointDataFile(IDataView Data, KeypointLayout Layout, IReadOnlyList<string>? ImagePaths)
{
    /// <summary>Whether the rows name image files (and the model must be an image-file model).</summary>
    public bool IsImageFiles => ImagePaths is not null;

    /// <summary>Loads several files of one layout as one data set, rows in file order.</summary>
    /// <exception cref="UsageException">The files mix the Kaggle layout and image files.</exception>
    /// <exception cref="ArgumentException">Their keypoints differ (the message names the file and the first
    /// difference).</exception>
    public static KeypointDataFile Load(MLContext ml, IReadOnlyList<string> paths)
    {
        var files = paths.Select(path => Load(ml, path)).ToArray();
        if (files.Length == 1)
            return files[0];
        if (files.Any(f => f.IsImageFiles != files[0].IsImageFiles))
        {
            throw new UsageException(
                $"Files {string.Join(", ", paths.Select(p => $"'{p}'"))} must all be Kaggle CSVs or all CSVs of image "
                    + $"files."
            );
        }

        var data = ml.Data.Keypoints.Concatenate(files.Select(f => f.Data));
        return new KeypointDataFile(
            data,
            files[0].Layout,
            files[0].IsImageFiles ? files.SelectMany(f => f.ImagePaths!).ToArray() : null
        );
    }

    /// <summary>Loads <paramref name="path"/>, telling the layouts apart by the first header field.</summary>
    public static KeypointDataFile Load(MLContext ml, string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Data file '{path}' does not exist.", path);
        if (KeypointImageCsv.HasImageHeader(path))
        {
            var images = ml.Data.Keypoints.LoadImageCsv(path);
            return new KeypointDataFile(images, images.Layout, images.ImagePaths);
        }
        var faces = ml.Data.Keypoints.LoadFkdCsv(path);
        return new KeypointDataFile(faces, faces.Layout, null);
    }
}
