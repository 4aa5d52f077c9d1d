using Keypoints.MLNet.Scoring;

namespace Keypoints.Cli;

/// <summary>Tells a model trained on image files (<see cref="KeypointImageModel"/>) from one trained on Kaggle
/// CSVs.</summary>
internal static class ModelKind
{
    /// <summary>Whether the model reads image files.</summary>
    public static bool ReadsImageFiles(IKeypointModel model) => model is KeypointImageModel;

    /// <summary>Fails with a usage error when the data's layout is not the one the model was trained on.</summary>
    public static void RequireMatch(IKeypointModel model, KeypointDataFile data, string modelPath, string dataPath)
    {
        if (ReadsImageFiles(model) != data.IsImageFiles)
        {
            throw new UsageException(
                ReadsImageFiles(model)
                    ? $"Model '{modelPath}' was trained on image files, but '{dataPath}' is a Kaggle CSV with an "
                        + $"Image column."
                    : $"Model '{modelPath}' was trained on a Kaggle CSV, but '{dataPath}' lists image files."
            );
        }
    }
}
