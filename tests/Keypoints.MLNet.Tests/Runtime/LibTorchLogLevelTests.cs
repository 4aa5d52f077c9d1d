using System.Runtime.InteropServices;
using Keypoints.MLNet.Runtime;

namespace Keypoints.MLNet.Tests.Runtime;

/// <summary>libtorch's C++ log level is ERROR once the runtime is set up, so its warnings (NNPACK's "Unsupported
/// hardware") stay out of the user's output.</summary>
public sealed class LibTorchLogLevelTests
{
    [Fact]
    public void EnsureInitialized_SetsLibTorchsLogLevel_ToErrorOrTheUsersLevel()
    {
        // The user's TORCH_CPP_LOG_LEVEL wins (libtorch parses it: INFO 0, WARNING 1, ERROR 2, FATAL 3).
        int expected = Environment.GetEnvironmentVariable("TORCH_CPP_LOG_LEVEL")?.ToUpperInvariant() switch
        {
            null or "ERROR" or "2" => 2,
            "INFO" or "0" => 0,
            "WARNING" or "1" => 1,
            "FATAL" or "3" => 3,
            _ => 1,
        };

        TorchRuntime.EnsureInitialized();

        nint c10 = NativeLibrary.Load("libc10.so");
        Assert.Equal(expected, Marshal.ReadInt32(NativeLibrary.GetExport(c10, "FLAGS_caffe2_log_level")));
    }
}
