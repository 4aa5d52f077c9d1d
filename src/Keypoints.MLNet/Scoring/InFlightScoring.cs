namespace Keypoints.MLNet.Scoring;

/// <summary>Counts the scoring calls in progress on an object that holds native sessions, so that disposing the object
/// while other threads still score releases the sessions when the last of those calls ends, never under a running call
/// (ONNX Runtime does not guard a session that is disposed while it runs: the call crashes the process or reads freed
/// memory).</summary>
internal sealed class InFlightScoring
{
    private readonly Lock gate = new();
    private readonly Action release;
    private int running;
    private bool closed;

    /// <summary>Creates the counter.</summary>
    /// <param name="release">Releases the native sessions; called exactly once, by <see cref="Close"/> or by the last
    /// <see cref="Exit"/> after it.</param>
    public InFlightScoring(Action release)
    {
        this.release = release;
    }

    /// <summary>Starts a scoring call; every <see cref="Enter"/> that returns must be followed by one <see
    /// cref="Exit"/>.</summary>
    /// <exception cref="ObjectDisposedException"><see cref="Close"/> was called.</exception>
    public void Enter(object owner)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(closed, owner);
            running++;
        }
    }

    /// <summary>Ends a scoring call; the last one after <see cref="Close"/> releases the sessions.</summary>
    public void Exit()
    {
        bool releaseNow;
        lock (gate)
        {
            running--;
            releaseNow = closed && running == 0;
        }
        if (releaseNow)
            release();
    }

    /// <summary>Refuses new calls, and releases the sessions now if none is running (else the last one to end
    /// does).</summary>
    public void Close()
    {
        bool releaseNow;
        lock (gate)
        {
            if (closed)
                return;
            closed = true;
            releaseNow = running == 0;
        }
        if (releaseNow)
            release();
    }
}
