using System.Reflection;
using System.Runtime.InteropServices;
using Keypoints.MLNet.Data;
using Microsoft.ML.OnnxRuntime;

namespace Keypoints.Cli;

/// <summary>An exception as the CLI reports it: one line for the user and the process's exit code.</summary>
/// <param name="Message">The line printed after <c>error: </c>, without line breaks.</param>
/// <param name="ExitCode">2 for a command-line mistake, 1 for anything the command could not do.</param>
internal sealed record CliError(string Message, int ExitCode)
{
    /// <summary>The error the user sees for <paramref name="exception"/>, or null when it is none the CLI expects (a
    /// bug, reported with its stack trace).</summary>
    /// <remarks>A loader's <see cref="KeypointDataException"/> names the file, line and column (and an unreadable
    /// image's
    /// <see cref="InvalidDataException"/> names the image), so the innermost one wins wherever it sits
    /// (<see cref="WrappedDataError.Find"/>): ML.NET's parallel cursors wrap it ("Splitter/consolidator worker
    /// encountered exception while consuming source data"), sometimes twice, and in an <see
    /// cref="AggregateException"/>. Otherwise an exception that ML.NET threw only to carry another one, or an aggregate
    /// or reflection wrapper, gives way to the one inside.</remarks>
    public static CliError? From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (WrappedDataError.Find(exception) is { } data)
            return new CliError(OneLine(data.Message), 1);
        var error = Unwrap(exception);
        return error switch
        {
            UsageException => new CliError(OneLine(error.Message), 2),
            // libtorch appends its C++ stack on the lines after the message; where it was raised stays, for reports.
            ExternalException => new CliError(OneLine(FirstLine(error.Message) + RaisedFrom(error.Message)), 1),
            IOException
            or UnauthorizedAccessException
            or InvalidDataException
            or InvalidOperationException
            or ArgumentException
            or FormatException
            or OnnxRuntimeException => new CliError(OneLine(error.Message), 1),
            _ => null,
        };
    }

    private static Exception Unwrap(Exception exception)
    {
        var error = exception;
        while (
            error.InnerException is { } inner
            && (
                error is AggregateException or TargetInvocationException or TypeInitializationException
                || ThrownByMLNet(error)
            )
        )
        {
            error = inner;
        }

        return error;
    }

    private static bool ThrownByMLNet(Exception exception) =>
        exception.Source?.StartsWith("Microsoft.ML", StringComparison.Ordinal) == true
        && !exception.Source.StartsWith("Microsoft.ML.OnnxRuntime", StringComparison.Ordinal);

    private static string FirstLine(string message)
    {
        string trimmed = message.TrimStart();
        int end = trimmed.IndexOfAny(['\r', '\n']);
        return end < 0 ? trimmed : trimmed[..end];
    }

    /// <summary>" (raised from FUNCTION at FILE:LINE)" out of libtorch's line "Exception raised from FUNCTION at
    /// FILE:LINE (most recent call first):", or empty when the message has none.</summary>
    private static string RaisedFrom(string message)
    {
        const string marker = "Exception raised from ";
        int start = message.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
            return "";
        string line = FirstLine(message[(start + marker.Length)..]);
        int end = line.IndexOf(" (most recent call first)", StringComparison.Ordinal);
        return $" (raised from {(end < 0 ? line : line[..end])})";
    }

    // ArgumentOutOfRangeException puts "Actual value was ..." on a second line; scripts expect one error line.
    private static string OneLine(string message) =>
        string.Join(' ', message.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
