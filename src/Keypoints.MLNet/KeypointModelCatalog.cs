using Keypoints.MLNet.Evaluation;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet;

/// <summary>Keypoint trainers and evaluation, reached as <c>mlContext.Keypoints</c>.</summary>
public sealed class KeypointModelCatalog
{
    internal KeypointModelCatalog(MLContext mlContext) => Trainers = new KeypointTrainersCatalog(mlContext);

    /// <summary>The keypoint trainers.</summary>
    public KeypointTrainersCatalog Trainers { get; }

    /// <summary>Evaluates predicted against true keypoints over every row of <paramref name="data"/>.</summary>
    /// <param name="data">Scored rows (for example a model's <c>Transform</c> output).</param>
    /// <param name="layout">The keypoint set. Default <see langword="null"/>: the layout of a view from the library's loaders,
    /// else the one the label column's slot names describe (the loaders attach them and a model's <c>Transform</c> keeps
    /// them), else the one the predicted column's slot names describe.</param>
    /// <param name="labelColumnName">True pixel coordinates, NaN where missing (ignored).</param>
    /// <param name="predictedColumnName">Predicted pixel coordinates.</param>
    /// <param name="extremeRows">How many best and worst rows to report.</param>
    /// <returns>RMSE in pixels over present labels, NME, per-keypoint errors, best and worst rows.</returns>
    /// <exception cref="ArgumentException">No layout is given and none can be found; the message names the label column.</exception>
    public KeypointMetrics Evaluate(IDataView data, KeypointLayout? layout = null, string labelColumnName = "Keypoints",
        string predictedColumnName = "PredictedKeypoints", int extremeRows = 16)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(extremeRows);
        return KeypointEvaluator.Evaluate(data, layout, labelColumnName, predictedColumnName, extremeRows);
    }
}
