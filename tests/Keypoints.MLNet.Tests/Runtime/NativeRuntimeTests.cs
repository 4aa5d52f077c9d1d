using Keypoints.MLNet.Runtime;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Runtime;

/// <summary>TorchSharp loads and runs from the build output, with the allocator tuned, and the NuGet cache
/// untouched.</summary>
public sealed class NativeRuntimeTests
{
    private static string OutputCopy =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void TorchSharp_LoadsAndComputes()
    {
        TorchRuntime.EnsureInitialized();
        using var a = ones(3, 3);
        using var b = a.matmul(a);
        Assert.Equal(27f, b.sum().item<float>());
    }

    [Fact]
    public void AllocatorIsTuned_OnLinux()
    {
        if (OperatingSystem.IsLinux())
        {
            Assert.True(
                TorchRuntime.AllocatorTuned,
                "mallopt was not applied; libtorch would run several times slower"
            );
        }
        else
        {
            Assert.False(TorchRuntime.AllocatorTuned);
        }
    }

    [Fact]
    public void Shim_WeakensGlibcxx3432_InTheOutputCopyOnly_WhenTheSystemLacksIt()
    {
        if (!OperatingSystem.IsLinux())
            return;
        string cacheCopy = NuGetCache.TorchSharpNative();
        Assert.Equal(GlibcxxShim.PatchesBuildOutput, GlibcxxShim.IsWeak(OutputCopy));
        if (File.Exists(cacheCopy))
            Assert.False(GlibcxxShim.IsWeak(cacheCopy), "the NuGet cache copy was modified");
    }
}
