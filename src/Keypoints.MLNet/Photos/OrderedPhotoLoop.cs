using System.Runtime.ExceptionServices;

namespace Keypoints.MLNet.Photos;

/// <summary>Scores a list of photos on a few threads and returns the results in the list's order, so that what a caller
/// writes does not depend on the thread count. Threads take photos up in list order; once a photo fails they take up
/// no photo after it, and the exception of the first photo in list order that failed is rethrown unchanged: the one a
/// loop on one thread would have met.</summary>
internal static class OrderedPhotoLoop
{
    /// <summary>Runs <paramref name="score"/> on every photo; with one thread (or one photo) on the calling thread,
    /// else on the calling thread and <c>threads - 1</c> others.</summary>
    /// <param name="photos">The photos, in the order of the results.</param>
    /// <param name="threads">Photos scored at once, at least 1.</param>
    /// <param name="score">Scores one photo; its second argument is the thread's index, 0 to <c>threads - 1</c> (for a
    /// caller that keeps state per thread).</param>
    /// <returns>One result per photo, in the order of <paramref name="photos"/>.</returns>
    public static T[] Map<T>(IReadOnlyList<string> photos, int threads, Func<string, int, T> score)
    {
        var results = new T[photos.Count];
        var failures = new ExceptionDispatchInfo?[photos.Count];
        int next = -1;
        int firstFailure = int.MaxValue;
        void Work(int thread)
        {
            for (int i = Interlocked.Increment(ref next); i < photos.Count; i = Interlocked.Increment(ref next))
            {
                if (i > Volatile.Read(ref firstFailure))
                    return;
                try
                {
                    results[i] = score(photos[i], thread);
                }
                catch (Exception exception)
                {
                    failures[i] = ExceptionDispatchInfo.Capture(exception);
                    LowerTo(ref firstFailure, i);
                }
            }
        }

        var others = Enumerable
            .Range(1, Math.Max(0, Math.Min(threads, photos.Count) - 1))
            .Select(thread => new Thread(() => Work(thread)) { IsBackground = true })
            .ToArray();
        foreach (var thread in others)
            thread.Start();
        Work(0);
        foreach (var thread in others)
            thread.Join();
        if (firstFailure != int.MaxValue)
            failures[firstFailure]!.Throw();
        return results;
    }

    private static void LowerTo(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value < seen)
        {
            int found = Interlocked.CompareExchange(ref target, value, seen);
            if (found == seen)
                return;
            seen = found;
        }
    }
}
