using System.Buffers.Binary;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using TorchSharp;

namespace Keypoints.MLNet.Runtime;

/// <summary>
/// The run-time half of the GLIBCXX shim (the build-time half is <c>buildTransitive/Keypoints.MLNet.targets</c>).
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> requires <c>GLIBCXX_3.4.32</c>, which older libstdc++ builds (Debian
/// 12 ships 3.4.30) lack, although TorchSharp never calls the one symbol behind it. A build output is patched by the
/// package's targets, but a host that loads packages straight from the NuGet cache (the .NET Interactive kernel of a
/// notebook, <c>dotnet fsi</c>) has no build output: there TorchSharp fails to load. Before TorchSharp's first use this
/// class therefore loads, when the ordinary load fails on such a system, a copy of the library whose requirement is
/// marked weak (written once to an owner-only folder in the user's cache, <c>$XDG_CACHE_HOME</c> or <c>~/.cache</c>,
/// never to the NuGet cache). TorchSharp's own load by name then finds the already loaded library by its soname.
/// </summary>
internal static class LibTorchSharpPreloader
{
    private const string VersionName = "GLIBCXX_3.4.32";
    private const string FileName = "libLibTorchSharp.so";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    // The version name as it lies in a string table, NUL-terminated.
    private static readonly byte[] VersionNameBytes = Encoding.ASCII.GetBytes(VersionName + "\0");

    private static readonly string[] SystemLibstdcxx =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    ];

    /// <summary>On Linux, when TorchSharp's native library cannot load as shipped and this system's libstdc++ lacks
    /// <c>GLIBCXX_3.4.32</c>, loads a weakened copy. Does nothing when the library loads as shipped, or when there is
    /// nothing to fix (no backend package, another system): TorchSharp then reports its own load error.</summary>
    /// <exception cref="DllNotFoundException">The weakened copy does not load either (the message is the
    /// loader's).</exception>
    public static void PreloadIfNeeded()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return;
        var torchSharp = typeof(torch).Assembly;
        // TorchSharp loads libtorch first, then its own library, whose dependencies libtorch provides.
        if (
            !NativeLibrary.TryLoad("torch", torchSharp, null, out _)
            || NativeLibrary.TryLoad("LibTorchSharp", torchSharp, null, out _)
            || SystemDefinesVersion()
            || ShippedLibrary(torchSharp) is not { } shipped
        )
        {
            return;
        }

        NativeLibrary.Load(WeakenedCopy(shipped));
    }

    /// <summary>Sets VER_FLG_WEAK on every <c>GLIBCXX_3.4.32</c> entry of <c>.gnu.version_r</c> in the ELF64
    /// little-endian image <paramref name="elf"/>; returns how many entries changed (0 when absent or already
    /// weak).</summary>
    public static int Weaken(byte[] elf)
    {
        ArgumentNullException.ThrowIfNull(elf);
        if (elf.Length < 64 || !elf.AsSpan(0, 6).SequenceEqual("\u007fELF\u0002\u0001"u8))
            return 0;
        var span = elf.AsSpan();
        int sectionTable = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]));
        int sectionSize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int sections = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        int changed = 0;
        for (int s = 0; s < sections; s++)
        {
            var header = span[(sectionTable + s * sectionSize)..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed)
                continue;
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[40..]);
            int strings = checked(
                (int)BinaryPrimitives.ReadUInt64LittleEndian(span[(sectionTable + link * sectionSize + 24)..])
            );
            int need = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[24..]));
            uint needs = BinaryPrimitives.ReadUInt32LittleEndian(header[44..]);
            for (uint n = 0; n < needs; n++)
            {
                int aux = need + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(need + 8)..]);
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[(need + 2)..]);
                for (int a = 0; a < auxCount; a++)
                {
                    var name = span[(strings + (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 8)..]))..];
                    ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(span[(aux + 4)..]);
                    if (name.StartsWith(VersionNameBytes) && (flags & VerFlgWeak) == 0)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(span[(aux + 4)..], (ushort)(flags | VerFlgWeak));
                        changed++;
                    }
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(aux + 12)..]);
                }
                need += (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(need + 12)..]);
            }
        }
        return changed;
    }

    private static bool SystemDefinesVersion() =>
        SystemLibstdcxx.Any(path =>
            File.Exists(path) && File.ReadAllBytes(path).AsSpan().IndexOf(VersionNameBytes) >= 0
        );

    // Where the library lies beside TorchSharp.dll: an app's output (flat or runtimes/), or the NuGet package's layout
    // (lib/net8.0/TorchSharp.dll and runtimes/linux-x64/native/).
    private static string? ShippedLibrary(Assembly torchSharp)
    {
        string? folder = Path.GetDirectoryName(torchSharp.Location);
        if (string.IsNullOrEmpty(folder))
            return null;
        string native = Path.Combine("runtimes", "linux-x64", "native", FileName);
        return new[]
        {
            Path.Combine(folder, native),
            Path.Combine(folder, FileName),
            Path.Combine(folder, "..", "..", native),
        }
            .Select(Path.GetFullPath)
            .FirstOrDefault(File.Exists);
    }

    // One copy per content of the shipped file, in the user's own cache folder (UserCacheFile: owner-only, written
    // through a rename, loaded only if its bytes are the weakened ones).
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static string WeakenedCopy(string shipped)
    {
        byte[] bytes = File.ReadAllBytes(shipped);
        string hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        Weaken(bytes);
        return UserCacheFile.Write(UserCacheFile.DefaultRoot(), "libtorchsharp-" + hash, FileName, bytes);
    }
}
