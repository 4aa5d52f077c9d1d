using Keypoints.MLNet.Runtime;

namespace Keypoints.MLNet.Tests.Runtime;

/// <summary>The run-time half of the GLIBCXX shim, for hosts that load TorchSharp from the NuGet cache (a notebook
/// kernel): the notebook tests run it for real; here, its ELF edit on TorchSharp's shipped library.</summary>
public sealed class LibTorchSharpPreloaderTests
{
    [Fact]
    public void Weaken_MarksGlibcxx3432Weak_OnceAndOnlyInTheBytesGiven()
    {
        string shipped = NuGetCache.TorchSharpNative();
        Assert.True(File.Exists(shipped), $"TorchSharp's native library is not in the NuGet cache at {shipped}");
        using var temp = new TempFolder();
        byte[] bytes = File.ReadAllBytes(shipped);

        Assert.Equal(1, LibTorchSharpPreloader.Weaken(bytes));
        Assert.Equal(0, LibTorchSharpPreloader.Weaken(bytes));

        string weakened = temp.File("libLibTorchSharp.so");
        File.WriteAllBytes(weakened, bytes);
        Assert.True(GlibcxxShim.IsWeak(weakened));
        Assert.False(GlibcxxShim.IsWeak(shipped), "the NuGet cache copy was modified");
    }

    [Fact]
    public void Weaken_LeavesAFileThatIsNotElf64Unchanged()
    {
        byte[] text = [.. "not an ELF file, long enough to hold an ELF header of sixty-four bytes....."u8];
        byte[] copy = text.ToArray();
        Assert.Equal(0, LibTorchSharpPreloader.Weaken(copy));
        Assert.Equal(text, copy);
    }
}
