using Keypoints.MLNet.Data;
using Keypoints.MLNet.Transforms;
using Microsoft.ML;

namespace Keypoints.MLNet;

/// <summary>
/// The library's entry points, as properties on ML.NET's catalogs:
/// <c>mlContext.Keypoints.Trainers.Cnn(...)</c> and <c>mlContext.Keypoints.Evaluate(...)</c>,
/// <c>mlContext.Transforms.Keypoints.NormalizePixels(...)</c>, and
/// <c>mlContext.Data.Keypoints.LoadFkdCsv(...)</c>, <c>FilterMissing</c>, <c>AppendFlipped</c>.
/// </summary>
public static class KeypointsCatalogExtensions
{
    extension(MLContext mlContext)
    {
        /// <summary>Keypoint trainers and evaluation.</summary>
        public KeypointsCatalog Keypoints => new(mlContext);
    }

    extension(TransformsCatalog transforms)
    {
        /// <summary>Keypoint transforms that apply at training and prediction time.</summary>
        public KeypointTransformsCatalog Keypoints => new(transforms);
    }

    extension(DataOperationsCatalog data)
    {
        /// <summary>Keypoint data loading and training-time data operations.</summary>
        public KeypointDataCatalog Keypoints => new(data);
    }
}
