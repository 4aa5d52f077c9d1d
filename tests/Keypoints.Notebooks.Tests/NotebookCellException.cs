namespace Keypoints.Notebooks.Tests;

/// <summary>A notebook cell that failed to compile or threw; the message names the notebook and the cell.</summary>
/// <param name="notebook">The notebook's file name.</param>
/// <param name="cellNumber">The cell's 1-based number among all the notebook's cells, as a reader counts them.</param>
/// <param name="message">What went wrong: the compiler's diagnostics or the exception.</param>
/// <param name="inner">The exception the cell threw, if any.</param>
internal sealed class NotebookCellException(string notebook, int cellNumber, string message, Exception? inner = null)
    : Exception($"{notebook}, cell {cellNumber}: {message}", inner)
{
    /// <summary>The notebook's file name.</summary>
    public string Notebook { get; } = notebook;

    /// <summary>The failing cell's 1-based number among all the notebook's cells.</summary>
    public int CellNumber { get; } = cellNumber;
}
