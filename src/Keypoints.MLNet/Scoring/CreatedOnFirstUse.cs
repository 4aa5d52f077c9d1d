namespace Keypoints.MLNet.Scoring;

/// <summary>
/// A disposable value made on first use, once, under a lock: unlike <see cref="Lazy{T}"/>, a failed creation is not
/// remembered (the next use tries again, as a temporary failure such as a full disk deserves), and <see
/// cref="Dispose"/> waits for a creation in progress, so a value made while the owner is disposed is never left
/// undisposed.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
internal sealed class CreatedOnFirstUse<T> : IDisposable
    where T : class, IDisposable
{
    private readonly Func<T> create;
    private readonly object owner;
    private readonly Lock gate = new();
    private T? value;
    private bool disposed;

    /// <summary>Makes the value with <paramref name="create"/> when it is first asked for.</summary>
    /// <param name="create">The factory.</param>
    /// <param name="owner">The object named by the <see cref="ObjectDisposedException"/> after <see
    /// cref="Dispose"/>.</param>
    public CreatedOnFirstUse(Func<T> create, object owner)
    {
        this.create = create;
        this.owner = owner;
    }

    /// <summary>The value, made now if this is the first use.</summary>
    /// <exception cref="ObjectDisposedException">After <see cref="Dispose"/>.</exception>
    public T Value
    {
        get
        {
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, owner);
                return value ??= create();
            }
        }
    }

    /// <summary>Disposes the value if it was made; later uses throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            value?.Dispose();
            value = null;
        }
    }
}
