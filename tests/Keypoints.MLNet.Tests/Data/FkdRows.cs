using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Data;

/// <summary>Reads data views of the Kaggle loaders into arrays, through a cursor, for assertions.</summary>
internal static class FkdRows
{
    /// <summary>Every value of a vector column, one array per row.</summary>
    public static List<float[]> Vectors(IDataView view, string columnName)
    {
        var column = view.Schema[columnName];
        var rows = new List<float[]>();
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (cursor.MoveNext())
        {
            getter(ref value);
            rows.Add(value.DenseValues().ToArray());
        }
        return rows;
    }

    /// <summary>The number of rows, counted with no column active.</summary>
    public static int Count(IDataView view)
    {
        int count = 0;
        using var cursor = view.GetRowCursor([]);
        while (cursor.MoveNext())
            count++;
        return count;
    }
}
