namespace Keypoints.MLNet.Data;

/// <summary>
/// A keypoint data file is malformed. The exception names the file, the 1-based physical line
/// and, where one field is at fault, its 1-based column and header name, so the message alone
/// finds the problem: <c>training.csv line 12, column 31 (Image): expected 9216 grey levels, found 9215.</c>
/// </summary>
public sealed class KeypointDataException : FormatException
{
    /// <summary>Creates an exception for a problem at a known place in a data file.</summary>
    /// <param name="filePath">The path of the file.</param>
    /// <param name="line">The 1-based physical line of the file (the header is line 1).</param>
    /// <param name="column">The 1-based column of the field at fault, or <see langword="null"/> when the whole line is,
    /// or the column is missing.</param>
    /// <param name="columnName">The header name of that column (or of the missing column), or <see langword="null"/>
    /// when it has none.</param>
    /// <param name="problem">What is wrong, as a sentence, for example <c>expected 9216 grey levels, found
    /// 9215.</c></param>
    /// <param name="innerException">The exception that revealed the problem, if any.</param>
    public KeypointDataException(
        string filePath,
        long line,
        int? column,
        string? columnName,
        string problem,
        Exception? innerException = null
    )
        : base(FormatMessage(filePath, line, column, columnName, problem), innerException)
    {
        FilePath = filePath;
        Line = line;
        Column = column;
        ColumnName = columnName;
    }

    /// <summary>The path of the malformed file.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based physical line of the file where the problem is (the header is line 1).</summary>
    public long Line { get; }

    /// <summary>The 1-based column of the field at fault, or <see langword="null"/> when the problem is the whole line
    /// or file.</summary>
    public int? Column { get; }

    /// <summary>The header name of <see cref="Column"/>, or of a required column that the header lacks;
    /// <see langword="null"/> when no named column is at fault.</summary>
    public string? ColumnName { get; }

    private static string FormatMessage(string filePath, long line, int? column, string? columnName, string problem)
    {
        string place = $"{Path.GetFileName(filePath)} line {line}";
        if (column is not null)
            place += columnName is null ? $", column {column}" : $", column {column} ({columnName})";
        else if (columnName is not null)
            place += $", column {columnName}"; // a column that the header lacks has a name but no number
        return $"{place}: {problem}";
    }
}
