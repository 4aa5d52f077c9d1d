using System.Runtime.ExceptionServices;

namespace Keypoints.MLNet.Data;

/// <summary>
/// Brings a data file's own error back to the surface when ML.NET has wrapped it. A cursor over a transformed view
/// reads its source on worker threads and rethrows what they meet as an <see cref="InvalidOperationException"/>
/// ("Splitter/consolidator worker encountered exception while consuming source data"), so the loader's message, with
/// its file, line and column, ends up as an inner exception the user never reads. Wherever the library itself reads
/// user data through ML.NET, it goes through <see cref="Unwrap{T}(Func{T})"/>, which rethrows the innermost
/// <see cref="KeypointDataException"/> (or, for an image file that cannot be read, the outermost
/// <see cref="InvalidDataException"/>) with its original stack trace.
/// </summary>
public static class WrappedDataError
{
    /// <summary>Runs <paramref name="read"/>; if it throws an exception that wraps a data error, throws that data error
    /// instead.</summary>
    public static T Unwrap<T>(Func<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return read();
        }
        catch (Exception e) when (Find(e) is { } dataError && !ReferenceEquals(dataError, e))
        {
            ExceptionDispatchInfo.Throw(dataError);
            throw; // not reached: Throw does not return
        }
    }

    /// <summary>The innermost <see cref="KeypointDataException"/> in <paramref name="exception"/> or the exceptions it
    /// wraps, else the outermost <see cref="InvalidDataException"/>, else <see langword="null"/>.</summary>
    /// <remarks>The outermost <see cref="InvalidDataException"/>, because this library's own (which names the file) may
    /// in turn wrap the runtime's cause, such as <c>System.IO.Compression</c>'s "End of Central Directory record could
    /// not be found".</remarks>
    public static Exception? Find(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return (Exception?)Innermost<KeypointDataException>(exception) ?? Outermost<InvalidDataException>(exception);
    }

    private static TException? Outermost<TException>(Exception exception)
        where TException : Exception =>
        exception switch
        {
            TException found => found,
            AggregateException aggregate => aggregate
                .InnerExceptions.Select(Outermost<TException>)
                .FirstOrDefault(found => found is not null),
            _ => exception.InnerException is { } wrapped ? Outermost<TException>(wrapped) : null,
        };

    private static TException? Innermost<TException>(Exception exception)
        where TException : Exception
    {
        var inner =
            exception is AggregateException aggregate
                ? aggregate.InnerExceptions.Select(Innermost<TException>).FirstOrDefault(found => found is not null)
            : exception.InnerException is { } wrapped ? Innermost<TException>(wrapped)
            : null;
        return inner ?? exception as TException;
    }
}
