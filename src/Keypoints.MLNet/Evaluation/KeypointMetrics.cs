namespace Keypoints.MLNet.Evaluation;

/// <summary>
/// Accuracy of keypoint predictions: the Kaggle RMSE over present labels, the normalized mean error,
/// per-keypoint errors and the best and worst rows.
/// </summary>
public sealed class KeypointMetrics
{
    internal KeypointMetrics() { }

    /// <summary>Root mean squared error in pixels over every present coordinate of every row (the Kaggle
    /// metric).</summary>
    public double Rmse { get; internal init; }

    /// <summary>Normalized mean error: per row, the mean Euclidean point error over its labeled keypoints divided by
    /// the distance between its true eye centers when the layout has eyes, else by the diagonal of the box around its
    /// true keypoints (<see cref="NmeNormalization"/> says which); averaged over rows where that length is known. NaN
    /// when none.</summary>
    public double Nme { get; internal init; }

    /// <summary>What <see cref="Nme"/> is divided by, in words.</summary>
    public string NmeNormalization { get; internal init; } = "";

    /// <summary>The normalized mean error as 300-W papers give it: per row, the mean point error divided by the
    /// distance between the true outer eye corners (<c>left_eye_outer_corner</c> and <c>right_eye_outer_corner</c>, or
    /// Ibug68's <c>left_eye_45</c> and <c>right_eye_36</c>). NaN when the layout has no outer eye corners.</summary>
    public double NmeOuterEyeCorners { get; internal init; } = double.NaN;

    /// <summary>Errors per keypoint, in layout order.</summary>
    public IReadOnlyList<KeypointError> PerKeypoint { get; internal init; } = [];

    /// <summary>The rows with the lowest RMSE, best first.</summary>
    public IReadOnlyList<RowError> Best { get; internal init; } = [];

    /// <summary>The rows with the highest RMSE, worst first.</summary>
    public IReadOnlyList<RowError> Worst { get; internal init; } = [];

    /// <summary>Number of rows evaluated.</summary>
    public long Rows { get; internal init; }

    /// <summary>Number of labeled coordinates the RMSE is taken over.</summary>
    public long PresentCoordinates { get; internal init; }
}
