using Keypoints.MLNet.Data;
using Microsoft.ML;

namespace Keypoints.Samples;

/// <summary>Tells a model trained on image files (input column <c>ImagePath</c>) from one trained on Kaggle CSVs.</summary>
internal static class ModelKind
{
    /// <summary>Whether the model's input schema names image files.</summary>
    public static bool ReadsImageFiles(DataViewSchema modelInput) =>
        modelInput.GetColumnOrNull(KeypointImageCsv.ImagePathColumnName) is not null;

    /// <summary>Fails with a usage error when the data's layout is not the one the model was trained on.</summary>
    public static void RequireMatch(DataViewSchema modelInput, KeypointDataFile data, string modelPath, string dataPath)
    {
        if (ReadsImageFiles(modelInput) != data.IsImageFiles)
            throw new UsageException(ReadsImageFiles(modelInput)
                ? $"Model '{modelPath}' was trained on image files, but '{dataPath}' is a Kaggle CSV with an Image column."
                : $"Model '{modelPath}' was trained on a Kaggle CSV, but '{dataPath}' lists image files.");
    }
}
