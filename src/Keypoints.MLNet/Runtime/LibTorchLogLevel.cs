using System.Runtime.InteropServices;
using TorchSharp;

namespace Keypoints.MLNet.Runtime;

/// <summary>
/// Sets libtorch's C++ log level (<c>TORCH_CPP_LOG_LEVEL</c>) to ERROR unless the user set it. At its default,
/// WARNING, libtorch prints "Could not initialize NNPACK! Reason: Unsupported hardware." to stderr on CPUs that NNPACK
/// does not support, in every training, though it only means that NNPACK is not used. libtorch reads the variable only
/// when its caller runs <c>c10::initLogging()</c>, which PyTorch does and TorchSharp does not; this class sets the
/// variable and makes that call. Linux only (the call's symbol name is the Itanium C++ ABI's).
/// </summary>
internal static partial class LibTorchLogLevel
{
    private const string Variable = "TORCH_CPP_LOG_LEVEL";
    private const string InitLogging = "_ZN3c1011initLoggingEv"; // c10::initLogging()

    /// <summary>Loads libtorch (TorchSharp's CPU backend), then applies <c>TORCH_CPP_LOG_LEVEL</c>: the user's, or
    /// ERROR. Returns whether it was applied; false on other systems or when libtorch's logging entry is not
    /// found.</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || !torch.TryInitializeDeviceType(DeviceType.CPU))
            return false;
        if (
            !NativeLibrary.TryLoad("libc10.so", out IntPtr c10)
            || !NativeLibrary.TryGetExport(c10, InitLogging, out IntPtr initLogging)
        )
        {
            return false;
        }

        // .NET's Environment keeps its own copy of the environment on Unix; libtorch reads the C library's.
        if (Environment.GetEnvironmentVariable(Variable) is null)
            _ = setenv(Variable, "ERROR", overwrite: 0);
        unsafe
        {
            ((delegate* unmanaged<void>)initLogging)();
        }

        return true;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
