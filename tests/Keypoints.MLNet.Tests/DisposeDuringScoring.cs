namespace Keypoints.MLNet.Tests;

/// <summary>Disposes a scorer while several threads call it in a loop: each thread scores until the scorer refuses with
/// an
/// <see cref="ObjectDisposedException"/>; any other exception fails the run.</summary>
internal static class DisposeDuringScoring
{
    /// <summary>Runs <paramref name="score"/> on <paramref name="threads"/> threads, disposes <paramref name="scorer"/>
    /// after they have run a while, and returns how many calls answered and how many threads were refused.</summary>
    public static async Task<(int Answered, int Refused)> Run(IDisposable scorer, Action score, int threads)
    {
        int answered = 0,
            refused = 0;
        using var started = new CountdownEvent(threads);
        var workers = Enumerable
            .Range(0, threads)
            .Select(_ =>
                Task.Run(() =>
                {
                    started.Signal();
                    while (true)
                    {
                        try
                        {
                            score();
                            Interlocked.Increment(ref answered);
                        }
                        catch (ObjectDisposedException)
                        {
                            Interlocked.Increment(ref refused);
                            return;
                        }
                    }
                })
            )
            .ToArray();
        started.Wait();
        await Task.Delay(300);
        scorer.Dispose();
        await Task.WhenAll(workers);
        return (answered, refused);
    }
}
