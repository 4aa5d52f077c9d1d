using System.Globalization;

namespace Keypoints.Samples;

/// <summary>Parses <c>--name value</c> and <c>--flag</c> arguments and reports unknown or malformed ones.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string?> values = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public CommandLine(IReadOnlyList<string> arguments)
    {
        for (int i = 0; i < arguments.Count; i++)
        {
            var name = arguments[i];
            if (!name.StartsWith("--", StringComparison.Ordinal) || name.Length == 2)
                throw new UsageException($"Unexpected argument '{name}'; options look like --name value.");
            string? value = i + 1 < arguments.Count && !arguments[i + 1].StartsWith("--", StringComparison.Ordinal) ? arguments[++i] : null;
            if (!values.TryAdd(name[2..], value))
                throw new UsageException($"Option {name} is given twice.");
        }
    }

    /// <summary>Whether no option was given at all.</summary>
    public bool IsEmpty => values.Count == 0;

    public string? String(string name)
    {
        used.Add(name);
        if (!values.TryGetValue(name, out var value))
            return null;
        return value ?? throw new UsageException($"Option --{name} needs a value.");
    }

    public string RequiredString(string name) => String(name) ?? throw new UsageException($"Option --{name} is required.");

    public bool Flag(string name)
    {
        used.Add(name);
        if (!values.TryGetValue(name, out var value))
            return false;
        return value is null ? true : throw new UsageException($"Option --{name} takes no value (got '{value}').");
    }

    public int? Int(string name) => Parse(name, s => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null as int?);

    public double? Double(string name) => Parse(name, s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null as double?);

    /// <summary>A <c>--name MIN,MAX</c> pair of numbers, or null when the option is absent.</summary>
    public (double Min, double Max)? Range(string name)
    {
        var text = String(name);
        if (text is null)
            return null;
        var parts = text.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var max))
            return (min, max);
        throw new UsageException($"Option --{name} expects MIN,MAX, got '{text}'.");
    }

    /// <summary>Fails on any option that the command did not ask for.</summary>
    public void RejectUnknown()
    {
        var unknown = values.Keys.Where(k => !used.Contains(k)).ToArray();
        if (unknown.Length > 0)
            throw new UsageException($"Unknown option --{unknown[0]}.");
    }

    private T? Parse<T>(string name, Func<string, T?> parse) where T : struct
    {
        var text = String(name);
        if (text is null)
            return null;
        return parse(text) ?? throw new UsageException($"Option --{name} expects a number, got '{text}'.");
    }
}
