using Microsoft.AspNetCore.Html;

namespace Keypoints.Notebooks.Tests;

/// <summary>
/// The helpers that the .NET Interactive C# kernel brings into scope of every cell (it submits
/// <c>using static Microsoft.DotNet.Interactive.Kernel;</c> first), with the same names and meaning, so that a notebook
/// runs unchanged in the harness and in Polyglot Notebooks. The harness submits <c>using static</c> of this class.
/// </summary>
#pragma warning disable IDE1006 // The kernel's names are lower-case (display) and upper-case (HTML); notebooks call them so.
public static class NotebookKernel
{
    /// <summary>The recorder of the cell that is running; null between cells.</summary>
    internal static CellRecorder? Current { get; set; }

    /// <summary>Shows <paramref name="value"/> below the cell, formatted by the kernel's formatter for each of
    /// <paramref name="mimeTypes"/> (by default the formatter's preferred MIME types for the value's type:
    /// <c>text/html</c> for <see cref="IHtmlContent"/> and most objects, <c>text/plain</c> for strings).</summary>
    /// <param name="value">The value to show.</param>
    /// <param name="mimeTypes">MIME types to format it as; none for the formatter's choice.</param>
    public static void display(object? value, params string[] mimeTypes) =>
        (Current ?? throw new InvalidOperationException("display() was called outside a notebook cell.")).Display(value, mimeTypes);

    /// <summary>Marks <paramref name="content"/> as HTML, so that <see cref="display"/> shows it as markup, not text.</summary>
    /// <param name="content">HTML markup.</param>
    public static IHtmlContent HTML(string content) => new HtmlString(content);
}
#pragma warning restore IDE1006
