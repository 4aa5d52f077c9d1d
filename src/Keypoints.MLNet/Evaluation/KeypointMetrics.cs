namespace Keypoints.MLNet.Evaluation;

/// <summary>
/// Accuracy of keypoint predictions: the Kaggle RMSE over present labels, the normalized mean error,
/// per-keypoint errors and the best and worst rows.
/// </summary>
public sealed class KeypointMetrics
{
    internal KeypointMetrics(double rmse, double nme, string nmeNormalization, IReadOnlyList<KeypointError> perKeypoint,
        IReadOnlyList<RowError> best, IReadOnlyList<RowError> worst, long rows, long presentCoordinates)
    {
        Rmse = rmse;
        Nme = nme;
        NmeNormalization = nmeNormalization;
        PerKeypoint = perKeypoint;
        Best = best;
        Worst = worst;
        Rows = rows;
        PresentCoordinates = presentCoordinates;
    }

    /// <summary>Root mean squared error in pixels over every present coordinate of every row (the Kaggle metric).</summary>
    public double Rmse { get; }

    /// <summary>Normalized mean error: per row, the mean Euclidean point error over its labeled keypoints divided by
    /// the distance between its true eye centers when the layout has eyes, else by the diagonal of the box around its true
    /// keypoints (<see cref="NmeNormalization"/> says which); averaged over rows where that length is known. NaN when none.</summary>
    public double Nme { get; }

    /// <summary>What <see cref="Nme"/> is divided by, in words.</summary>
    public string NmeNormalization { get; }

    /// <summary>Errors per keypoint, in layout order.</summary>
    public IReadOnlyList<KeypointError> PerKeypoint { get; }

    /// <summary>The rows with the lowest RMSE, best first.</summary>
    public IReadOnlyList<RowError> Best { get; }

    /// <summary>The rows with the highest RMSE, worst first.</summary>
    public IReadOnlyList<RowError> Worst { get; }

    /// <summary>Number of rows evaluated.</summary>
    public long Rows { get; }

    /// <summary>Number of labeled coordinates the RMSE is taken over.</summary>
    public long PresentCoordinates { get; }
}
