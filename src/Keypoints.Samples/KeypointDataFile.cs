using Keypoints.MLNet;
using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;

namespace Keypoints.Samples;

/// <summary>A labelled keypoint CSV in either layout: Kaggle's (an <c>Image</c> column of grey levels) or image files
/// (first column <c>image</c>, a path relative to the CSV's folder).</summary>
internal sealed record KeypointDataFile(IDataView Data, KeypointLayout Layout, IReadOnlyList<string>? ImagePaths)
{
    /// <summary>Whether the rows name image files (and the model must be an image-file model).</summary>
    public bool IsImageFiles => ImagePaths is not null;

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
