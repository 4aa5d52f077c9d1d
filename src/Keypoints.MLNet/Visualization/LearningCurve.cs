using Keypoints.MLNet.Training;

namespace Keypoints.MLNet.Visualization;

/// <summary>One training's history under a name, a curve of <see
/// cref="LearningCurvesChart.SaveComparisonPng"/>.</summary>
/// <param name="Name">The legend's name for the training, for example the network.</param>
/// <param name="History">Its epoch reports in training order, for example <c>KeypointCnnModel.History</c>.</param>
public sealed record LearningCurve(string Name, IReadOnlyList<EpochReport> History);
