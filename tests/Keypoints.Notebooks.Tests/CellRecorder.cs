using System.Text;
using Microsoft.DotNet.Interactive.Formatting;

namespace Keypoints.Notebooks.Tests;

/// <summary>Collects what one code cell produces, in order: console text (consecutive writes to one stream make one
/// output, as Jupyter merges them) and displayed values formatted by the kernel's formatter.</summary>
internal sealed class CellRecorder
{
    private readonly List<CellOutput> outputs = [];
    private readonly Lock gate = new();

    /// <summary>The outputs so far.</summary>
    public IReadOnlyList<CellOutput> Outputs
    {
        get
        {
            lock (gate)
                return [.. outputs];
        }
    }

    /// <summary>A writer for <see cref="Console.SetOut"/> or <see cref="Console.SetError"/> that records into stream
    /// <paramref name="name"/> (<c>stdout</c> or <c>stderr</c>).</summary>
    public TextWriter Writer(string name) => new StreamWriter(this, name);

    /// <summary>Records <paramref name="value"/> as a <c>display_data</c> output.</summary>
    public void Display(object? value, string[] mimeTypes)
    {
        var data = Format(value, mimeTypes);
        lock (gate)
            outputs.Add(new DisplayOutput(data));
    }

    /// <summary>Formats <paramref name="value"/> as the kernel does for each of <paramref name="mimeTypes"/>, by default the
    /// formatter's preferred MIME types for its type.</summary>
    public static IReadOnlyDictionary<string, string> Format(object? value, string[] mimeTypes)
    {
        if (value is null)
            return new Dictionary<string, string> { [PlainTextFormatter.MimeType] = "<null>" };
        var types = mimeTypes is { Length: > 0 } ? mimeTypes : Formatter.GetPreferredMimeTypesFor(value.GetType()).ToArray();
        return types.Distinct().ToDictionary(m => m, value.ToDisplayString);
    }

    private void Write(string name, string text)
    {
        if (text.Length == 0)
            return;
        lock (gate)
        {
            if (outputs.Count > 0 && outputs[^1] is StreamOutput last && last.Name == name)
                outputs[^1] = last with { Text = last.Text + text };
            else
                outputs.Add(new StreamOutput(name, text));
        }
    }

    private sealed class StreamWriter(CellRecorder recorder, string name) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => recorder.Write(name, value.ToString());

        public override void Write(string? value) => recorder.Write(name, value ?? "");

        public override void Write(char[] buffer, int index, int count) => recorder.Write(name, new string(buffer, index, count));
    }
}
