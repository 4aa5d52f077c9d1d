using System.Text;
using Keypoints.MLNet.Runtime;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Runtime;

/// <summary>TorchSharp loads and runs from the build output, with the allocator tuned, and the NuGet cache untouched.</summary>
public sealed class NativeRuntimeTests
{
    private static string OutputCopy => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

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
            Assert.True(TorchRuntime.AllocatorTuned, "mallopt was not applied; libtorch would run several times slower");
        else
            Assert.False(TorchRuntime.AllocatorTuned);
    }

    [Fact]
    public void Shim_WeakensGlibcxx3432_InTheOutputCopyOnly_WhenTheSystemLacksIt()
    {
        if (!OperatingSystem.IsLinux())
            return;
        bool systemHasIt = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }
            .Any(p => File.Exists(p) && File.ReadAllBytes(p).AsSpan().IndexOf("GLIBCXX_3.4.32\0"u8) >= 0);
        var cacheCopy = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.Equal(!systemHasIt, IsWeak(File.ReadAllBytes(OutputCopy)));
        if (File.Exists(cacheCopy))
            Assert.False(IsWeak(File.ReadAllBytes(cacheCopy)), "the NuGet cache copy was modified");
    }

    // Walks .gnu.version_r and returns whether the GLIBCXX_3.4.32 entry carries VER_FLG_WEAK.
    private static bool IsWeak(byte[] elf)
    {
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int size = BitConverter.ToUInt16(elf, 0x3A), count = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < count; s++)
        {
            int sh = (int)(shoff + s * size);
            if (BitConverter.ToUInt32(elf, sh + 4) != 0x6ffffffe)
                continue;
            int strtab = (int)BitConverter.ToInt64(elf, (int)(shoff + BitConverter.ToUInt32(elf, sh + 40) * size) + 24);
            int need = (int)BitConverter.ToInt64(elf, sh + 24);
            for (uint n = 0; n < BitConverter.ToUInt32(elf, sh + 44); n++)
            {
                int aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (int a = 0; a < BitConverter.ToUInt16(elf, need + 2); a++)
                {
                    int name = strtab + (int)BitConverter.ToUInt32(elf, aux + 8);
                    if (Encoding.ASCII.GetString(elf, name, 14) == "GLIBCXX_3.4.32")
                        return (BitConverter.ToUInt16(elf, aux + 4) & 2) != 0;
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        throw new InvalidDataException("libLibTorchSharp.so has no GLIBCXX_3.4.32 requirement.");
    }
}
