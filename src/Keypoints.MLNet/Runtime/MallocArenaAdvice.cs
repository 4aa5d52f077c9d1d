using System.Runtime.InteropServices;

namespace Keypoints.MLNet.Runtime;

/// <summary>
/// Says when CPU training will run several times slower than it should because of glibc's malloc arenas: on a thread
/// other than the process's main thread, unless the process started with <c>MALLOC_ARENA_MAX=1</c>
/// (docs/decisions.md#malloc-arena-advice).
/// </summary>
internal static partial class MallocArenaAdvice
{
    /// <summary>The advice, as the trainer logs it.</summary>
    public const string Message =
        "Training on the CPU from a thread other than the process's main thread: glibc gives this thread its own "
        + "malloc arena, "
        + "which maps every allocation over 64 MiB afresh, and libtorch then trains several times slower. Start the "
        + "process with "
        + "the environment variable MALLOC_ARENA_MAX=1, or call Fit on the main thread.";

    /// <summary>The advice for training on the calling thread, or <see langword="null"/> when it would train at full
    /// speed (or the allocator is not glibc's).</summary>
    public static string? ForCurrentThread()
    {
        if (!OperatingSystem.IsLinux() || !TorchRuntime.AllocatorTuned)
            return null;
        int threadId;
        try
        {
            threadId = gettid();
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        return For(
            threadId == Environment.ProcessId,
            Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX"),
            Environment.GetEnvironmentVariable("GLIBC_TUNABLES")
        );
    }

    /// <summary>The advice for a thread that is or is not the main thread, with the process's <c>MALLOC_ARENA_MAX</c>
    /// and
    /// <c>GLIBC_TUNABLES</c> environment variables.</summary>
    internal static string? For(bool mainThread, string? arenaMax, string? tunables)
    {
        bool oneArena =
            arenaMax?.Trim() == "1" || (tunables?.Split(':').Any(t => t.Trim() == "glibc.malloc.arena_max=1") ?? false);
        return mainThread || oneArena ? null : Message;
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int gettid();
}
