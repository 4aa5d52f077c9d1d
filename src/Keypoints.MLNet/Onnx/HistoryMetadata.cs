using System.Globalization;
using System.Text;
using Keypoints.MLNet.Training;

namespace Keypoints.MLNet.Onnx;

/// <summary>
/// Writes a training history as the text of the ONNX metadata property <see cref="Key"/>, and reads it back.
/// </summary>
/// <remarks>
/// The format is comma-separated text, invariant culture, lines separated by <c>\n</c>: first the header
/// <c>epoch,train_loss,validation_rmse,learning_rate,images_per_second,elapsed_ticks,is_best</c>, then one
/// line per epoch in training order. Numbers are written in their shortest round-trip form, so the values
/// read back are identical; a validation RMSE is <c>NaN</c> when training had no validation rows;
/// <c>elapsed_ticks</c> is <see cref="EpochReport.Elapsed"/> in 100-nanosecond ticks; <c>is_best</c> is 1 or 0.
/// </remarks>
internal static class HistoryMetadata
{
    /// <summary>The ONNX metadata key that holds the history.</summary>
    public const string Key = "keypoints.history";

    /// <summary>The first line of the text, naming the columns.</summary>
    public const string Header = "epoch,train_loss,validation_rmse,learning_rate,images_per_second,elapsed_ticks,is_best";

    private const int ColumnCount = 7;

    /// <summary>Formats <paramref name="history"/> as the metadata text.</summary>
    public static string Format(IReadOnlyList<EpochReport> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder(Header);
        foreach (var e in history)
        {
            text.Append('\n').Append(string.Create(c,
                $"{e.Epoch},{e.TrainLoss:R},{e.ValidationRmse:R},{e.LearningRate:R},{e.ImagesPerSecond:R},{e.Elapsed.Ticks},{(e.IsBest ? 1 : 0)}"));
        }
        return text.ToString();
    }

    /// <summary>Reads the metadata text written by <see cref="Format"/>.</summary>
    /// <exception cref="InvalidDataException">The header differs, or a line has the wrong number of fields or a malformed one; the message names the line.</exception>
    public static IReadOnlyList<EpochReport> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        if (lines[0] != Header)
            throw new InvalidDataException($"Metadata '{Key}' starts with '{lines[0]}'; expected the header '{Header}'.");
        var history = new List<EpochReport>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            var fields = lines[i].Split(',');
            if (fields.Length != ColumnCount)
                throw new InvalidDataException($"Metadata '{Key}' line {i + 1} has {fields.Length} fields; expected {ColumnCount}: '{lines[i]}'.");
            history.Add(new EpochReport(
                ParseInt(fields[0], i, "epoch"),
                ParseDouble(fields[1], i, "train_loss"),
                ParseDouble(fields[2], i, "validation_rmse"),
                ParseDouble(fields[3], i, "learning_rate"),
                ParseDouble(fields[4], i, "images_per_second"),
                TimeSpan.FromTicks(ParseLong(fields[5], i, "elapsed_ticks")),
                fields[6] switch
                {
                    "1" => true,
                    "0" => false,
                    _ => throw Malformed(fields[6], i, "is_best"),
                }));
        }
        return history;
    }

    private static double ParseDouble(string field, int line, string column) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Malformed(field, line, column);

    private static int ParseInt(string field, int line, string column) =>
        int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw Malformed(field, line, column);

    private static long ParseLong(string field, int line, string column) =>
        long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw Malformed(field, line, column);

    private static InvalidDataException Malformed(string field, int line, string column) =>
        new($"Metadata '{Key}' line {line + 1} has '{field}' in column {column}.");
}
