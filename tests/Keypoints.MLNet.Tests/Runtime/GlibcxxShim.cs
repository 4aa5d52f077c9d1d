using System.Text;

namespace Keypoints.MLNet.Tests.Runtime;

/// <summary>Reads what the package's GLIBCXX shim (<c>buildTransitive/Keypoints.MLNet.targets</c>) did to a copy of
/// TorchSharp's <c>libLibTorchSharp.so</c>.</summary>
internal static class GlibcxxShim
{
    private const string VersionName = "GLIBCXX_3.4.32";

    /// <summary>Whether this machine's libstdc++ defines GLIBCXX_3.4.32, so that a build output needs no
    /// patch.</summary>
    public static bool SystemHasVersion { get; } =
        new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" }.Any(p =>
            File.Exists(p) && File.ReadAllBytes(p).AsSpan().IndexOf(Encoding.ASCII.GetBytes(VersionName + "\0")) >= 0
        );

    /// <summary>Whether the shim patches a build output on this machine: on Linux, when libstdc++ lacks the
    /// version.</summary>
    public static bool PatchesBuildOutput => OperatingSystem.IsLinux() && !SystemHasVersion;

    /// <summary>Walks <c>.gnu.version_r</c> of the ELF file at <paramref name="libraryPath"/> and returns whether its
    /// GLIBCXX_3.4.32 entry carries VER_FLG_WEAK.</summary>
    public static bool IsWeak(string libraryPath)
    {
        byte[] elf = File.ReadAllBytes(libraryPath);
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int size = BitConverter.ToUInt16(elf, 0x3A),
            count = BitConverter.ToUInt16(elf, 0x3C);
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
                    if (Encoding.ASCII.GetString(elf, name, VersionName.Length) == VersionName)
                        return (BitConverter.ToUInt16(elf, aux + 4) & 2) != 0;
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }
        throw new InvalidDataException($"{libraryPath} has no {VersionName} requirement.");
    }
}
