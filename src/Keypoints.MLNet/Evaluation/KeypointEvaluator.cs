using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Evaluation;

/// <summary>Computes <see cref="KeypointMetrics"/> from a scored <see cref="IDataView"/>.</summary>
internal static class KeypointEvaluator
{
    /// <summary>Compares <paramref name="scoreColumn"/> with <paramref name="labelColumn"/> (both <c>2K</c> pixel
    /// coordinates, NaN labels ignored) over every row of <paramref name="data"/>, for <paramref name="layout"/> or,
    /// when it is null, the layout that <see cref="KeypointLayoutResolver"/> finds for the label column (or for the
    /// score column, when only that one names its coordinates).</summary>
    /// <remarks>A data error that ML.NET wraps while the rows are read reaches the caller unwrapped (<see
    /// cref="WrappedDataError"/>).</remarks>
    public static KeypointMetrics Evaluate(
        IDataView data,
        KeypointLayout? layout,
        string labelColumn,
        string scoreColumn,
        int extremeRows
    ) => WrappedDataError.Unwrap(() => EvaluateRows(data, layout, labelColumn, scoreColumn, extremeRows));

    private static KeypointMetrics EvaluateRows(
        IDataView data,
        KeypointLayout? layout,
        string labelColumn,
        string scoreColumn,
        int extremeRows
    )
    {
        // Rows built in memory have no label names; a scoring transform may still name its output's coordinates.
        bool scoreNamesTheKeypoints =
            layout is null
            && !KeypointLayoutResolver.HasSlotNames(data.Schema, labelColumn)
            && KeypointLayoutResolver.HasSlotNames(data.Schema, scoreColumn);
        layout = KeypointLayoutResolver.Resolve(
            data,
            layout,
            scoreNamesTheKeypoints ? scoreColumn : labelColumn,
            nameof(layout)
        );
        int n = layout.CoordinateCount;
        var label = SchemaChecks.RequireSingleVector(data.Schema, labelColumn, "label", n);
        var score = SchemaChecks.RequireSingleVector(data.Schema, scoreColumn, "score", n);
        var totals = new KeypointErrorTotals(layout);
        using var cursor = data.GetRowCursor(new[] { label, score });
        var getLabel = cursor.GetGetter<VBuffer<float>>(label);
        var getScore = cursor.GetGetter<VBuffer<float>>(score);
        VBuffer<float> labelBuffer = default,
            scoreBuffer = default;
        float[] truth = new float[n];
        float[] predicted = new float[n];
        while (cursor.MoveNext())
        {
            getLabel(ref labelBuffer);
            getScore(ref scoreBuffer);
            labelBuffer.CopyTo(truth);
            scoreBuffer.CopyTo(predicted);
            totals.Add(truth, predicted);
        }
        return totals.ToMetrics(extremeRows);
    }
}
