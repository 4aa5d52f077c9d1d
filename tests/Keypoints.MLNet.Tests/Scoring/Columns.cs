using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary>Reads whole vector columns out of a data view.</summary>
internal static class Columns
{
    public static float[][] Vectors(IDataView data, string column)
    {
        var result = new List<float[]>();
        var col = data.Schema[column];
        using var cursor = data.GetRowCursor(new[] { col });
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            result.Add(buffer.DenseValues().ToArray());
        }
        return result.ToArray();
    }
}
