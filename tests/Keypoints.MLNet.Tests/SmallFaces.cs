using Keypoints.MLNet.Data;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests;

/// <summary>Small slices of the real Kaggle-layout data, so training tests stay fast.</summary>
internal static class SmallFaces
{
    public static string TrainingCsv => SharedData.Path("fkd", "training.csv");

    public static string ValidationCsv => SharedData.Path("fkd", "validation.csv");

    /// <summary>The first <paramref name="rows"/> rows of training.csv.</summary>
    public static IDataView Training(MLContext ml, int rows) =>
        ml.Data.TakeRows(FkdCsv.LoadTraining(TrainingCsv), rows);

    /// <summary>The first <paramref name="rows"/> rows of validation.csv (every keypoint labeled).</summary>
    public static IDataView Validation(MLContext ml, int rows) =>
        ml.Data.TakeRows(FkdCsv.LoadTraining(ValidationCsv), rows);
}
