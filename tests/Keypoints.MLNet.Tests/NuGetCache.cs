namespace Keypoints.MLNet.Tests;

/// <summary>The global packages folder that NuGet restores into on this machine.</summary>
internal static class NuGetCache
{
    /// <summary><c>NUGET_PACKAGES</c>, or <c>~/.nuget/packages</c>.</summary>
    public static string Folder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES")
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The folder of one restored package version (NuGet lower-cases both parts).</summary>
    public static string Package(string id, string version) =>
        Path.Combine(Folder, id.ToLowerInvariant(), version.ToLowerInvariant());

    /// <summary>The NuGet cache's own copy of TorchSharp's native library for Linux, which the build must never
    /// patch.</summary>
    public static string TorchSharpNative() =>
        Path.Combine(Package("TorchSharp", "0.107.0"), "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
}
