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
            // libtorch appends its C++ stack ("Exception raised from ...") on the lines after the message.
            ExternalException => new CliError(OneLine(FirstLine(error.Message)), 1),
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

    // ArgumentOutOfRangeException puts "Actual value was ..." on a second line; scripts expect one error line.
    private static string OneLine(string message) =>
        string.Join(' ', message.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
