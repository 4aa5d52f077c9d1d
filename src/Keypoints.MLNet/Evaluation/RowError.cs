namespace Keypoints.MLNet.Evaluation;

/// <summary>The error of one evaluated row (one face).</summary>
/// <param name="RowIndex">0-based position of the row in the evaluated data.</param>
/// <param name="Rmse">Root mean squared error over the row's present coordinates, in pixels.</param>
/// <param name="NormalizedMeanError">Mean point error divided by the row's inter-ocular distance; NaN without eye
/// centers.</param>
public sealed record RowError(long RowIndex, double Rmse, double NormalizedMeanError);
