namespace Keypoints.MLNet.Runtime;

/// <summary>
/// Files the library's assemblies write once per content into <c>Keypoints.MLNet/&lt;folder&gt;</c> of the user's
/// cache: TorchSharp's patched native library (<c>LibTorchSharpPreloader</c>) and the shipped models' <c>.onnx</c>
/// files (<c>PretrainedModelCache</c> of <c>Keypoints.MLNet.Models</c>). The folders are owner-only, since a folder
/// others may write would let another local user plant a library or a model that this process then loads; a file is
/// written through a rename, so that concurrent processes never read half of one; an existing file is used only when
/// its bytes are the expected ones.
/// </summary>
/// <remarks>Compiled into both assemblies (the models package links this source file) because the models package uses
/// the library's public API only (docs/architecture.md), and this is no API for the library's users.</remarks>
internal static class UserCacheFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The user's cache folder: <c>$XDG_CACHE_HOME</c>, else <c>%LOCALAPPDATA%</c> on Windows, else
    /// <c>~/.cache</c>.</summary>
    /// <exception cref="InvalidOperationException">Neither <c>XDG_CACHE_HOME</c> nor a home folder is set.</exception>
    public static string DefaultRoot()
    {
        if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg)
            return xdg;
        if (OperatingSystem.IsWindows())
            return Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length == 0)
        {
            throw new InvalidOperationException(
                "Neither XDG_CACHE_HOME nor a home folder is set: nowhere to write Keypoints.MLNet's cache files."
            );
        }

        return Path.Combine(home, ".cache");
    }

    /// <summary>The path of <paramref name="fileName"/> in <c>Keypoints.MLNet/<paramref name="folder"/></c> under
    /// <paramref name="cacheRoot"/>, holding <paramref name="bytes"/>: written first when absent or
    /// different.</summary>
    /// <exception cref="UnauthorizedAccessException">A cache folder is open to other users and cannot be made
    /// owner-only.</exception>
    public static string Write(string cacheRoot, string folder, string fileName, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheRoot);
        ArgumentNullException.ThrowIfNull(bytes);
        string path = Path.Combine(OwnerOnlyFolder(OwnerOnlyFolder(cacheRoot, "Keypoints.MLNet"), folder), fileName);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            return path;
        string temp = path + "." + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    // Created owner-only; an existing folder that others may read or write is made owner-only, which fails unless this
    // user owns it.
    private static string OwnerOnlyFolder(string parent, string name)
    {
        if (OperatingSystem.IsWindows())
            return Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
        string folder = Directory.CreateDirectory(Path.Combine(parent, name), OwnerOnly).FullName;
        if ((File.GetUnixFileMode(folder) & ~OwnerOnly) != 0)
        {
            try
            {
                File.SetUnixFileMode(folder, OwnerOnly);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new UnauthorizedAccessException(
                    $"The cache folder '{folder}' is open to other users and cannot be made owner-only: {e.Message}",
                    e
                );
            }
        }
        return folder;
    }
}
