using System.Runtime.InteropServices;
using TorchSharp;

namespace Keypoints.MLNet.Runtime;

/// <summary>
/// Prepares the native deep-learning runtime once per process, before the first tensor: TorchSharp's native
/// library where it cannot load as shipped (<see cref="LibTorchSharpPreloader"/>), libtorch's log level (<see
/// cref="LibTorchLogLevel"/>), the Linux allocator settings libtorch needs to run at full speed, and the device
/// choice.
/// </summary>
internal static partial class TorchRuntime
{
    // glibc mallopt parameters (malloc.h).
    private const int MTrimThreshold = -1;
    private const int MMmapThreshold = -3;

    private static readonly Lazy<bool> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Whether the allocator settings were applied in this process.</summary>
    public static bool AllocatorTuned => Initialized.Value;

    /// <summary>Runs the one-time set-up; cheap after the first call.</summary>
    public static void EnsureInitialized() => _ = Initialized.Value;

    /// <summary>Picks CUDA device <paramref name="gpuDeviceId"/> when given and present; otherwise the CPU,
    /// or throws when the caller asked for a GPU and forbade falling back.</summary>
    public static torch.Device SelectDevice(int? gpuDeviceId, bool fallbackToCpu)
    {
        EnsureInitialized();
        if (gpuDeviceId is int id)
        {
            if (torch.cuda.is_available() && id < torch.cuda.device_count())
                return new torch.Device(DeviceType.CUDA, id);
            if (!fallbackToCpu)
            {
                throw new InvalidOperationException(
                    $"GPU {id} was requested (MLContext.GpuDeviceId) but CUDA is not available to TorchSharp; "
                        + "reference a CUDA backend package such as TorchSharp-cuda-linux, or set "
                        + "MLContext.FallbackToCpu = true."
                );
            }

            return torch.CPU;
        }
        return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
    }

    private static bool Initialize()
    {
        LibTorchSharpPreloader.PreloadIfNeeded();
        LibTorchLogLevel.Apply();
        if (!OperatingSystem.IsLinux())
            return false;
        // glibc's default allocator hands every block over its dynamic mmap threshold (at most 32 MiB)
        // back to the kernel on free, so each training step page-faults its large activations in
        // again: libtorch runs 9-15x slower. Keeping freed memory in the heap removes that cost.
        // Environment variables MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_ set by the user win.
        try
        {
            bool ok = true;
            if (Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null)
                ok &= mallopt(MMmapThreshold, int.MaxValue) == 1;
            if (Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_") is null)
                ok &= mallopt(MTrimThreshold, int.MaxValue) == 1;
            return ok;
        }
        catch (EntryPointNotFoundException)
        {
            return false; // not glibc (for example musl): nothing to tune
        }
        catch (DllNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
