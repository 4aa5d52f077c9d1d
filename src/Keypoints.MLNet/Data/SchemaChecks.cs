using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Data;

/// <summary>
/// Column checks shared by the estimators, data operations and evaluation. Like ML.NET's own schema
/// checks they throw <see cref="ArgumentOutOfRangeException"/> naming the column, the expected type and the type found.
/// </summary>
internal static class SchemaChecks
{
    /// <summary>Returns column <paramref name="name"/>, which must be a vector of Single of <paramref name="size"/>
    /// items (of any known size when null).</summary>
    /// <param name="schema">The schema to look in.</param>
    /// <param name="name">The column name.</param>
    /// <param name="role">What the column is for, in words (for example "label").</param>
    /// <param name="size">The required number of items, or null for any known size.</param>
    /// <param name="meaning">What the items are, in words, added to the message.</param>
    public static DataViewSchema.Column RequireSingleVector(
        DataViewSchema schema,
        string name,
        string role,
        int? size = null,
        string? meaning = null
    )
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(
                nameof(schema),
                $"The {role} column '{name}' was not found. Columns: "
                    + $"{string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => c.Name))}."
            );
        bool fits =
            column.Type is VectorDataViewType { ItemType: NumberDataViewType item } vector
            && item == NumberDataViewType.Single
            && (size is int expected ? vector.Size == expected : vector.Size > 0);
        if (!fits)
        {
            throw new ArgumentOutOfRangeException(
                nameof(schema),
                $"The {role} column '{name}' must be "
                    + $"{(size is int s ? $"Vector<Single, {s}>" : "a known-size vector of Single")}"
                    + $"{(meaning is null ? "" : $" ({meaning})")}; found {column.Type}."
            );
        }

        return column;
    }

    /// <summary>Checks, before fitting, that <paramref name="name"/> is a known-size vector of Single
    /// (a <see cref="SchemaShape"/> carries no vector sizes).</summary>
    public static void RequireSingleVector(SchemaShape schema, string name, string role)
    {
        var matches = schema.Where(c => c.Name == name).ToArray();
        if (matches.Length == 0)
            throw new ArgumentOutOfRangeException(nameof(schema), $"The {role} column '{name}' was not found.");
        var column = matches[^1];
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
        {
            throw new ArgumentOutOfRangeException(
                nameof(schema),
                $"The {role} column '{name}' must be a known-size vector of Single; found {column.Kind} of "
                    + $"{column.ItemType}."
            );
        }
    }
}
