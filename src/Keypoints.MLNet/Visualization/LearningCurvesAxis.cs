namespace Keypoints.MLNet.Visualization;

/// <summary>What the x axis of <see cref="LearningCurvesChart.SaveComparisonPng"/> counts.</summary>
public enum LearningCurvesAxis
{
    /// <summary>Epochs (1-based).</summary>
    Epoch,

    /// <summary>Minutes of wall-clock training time at the end of each epoch (<see
    /// cref="Training.EpochReport.Elapsed"/>).</summary>
    TrainingTime,
}
