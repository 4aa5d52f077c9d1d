namespace Keypoints.MLNet.Evaluation;

/// <summary>Errors of one keypoint over the evaluated rows where it is labeled.</summary>
/// <param name="Name">Keypoint name.</param>
/// <param name="Rmse">Root mean squared error over its present x and y coordinates, in pixels.</param>
/// <param name="MeanDistance">Mean Euclidean distance between predicted and true point, in pixels.</param>
/// <param name="Count">Number of rows where the keypoint is labeled.</param>
public sealed record KeypointError(string Name, double Rmse, double MeanDistance, int Count);
