using System.Security.Cryptography;

namespace Keypoints.MLNet;

/// <summary>
/// Writes a shipped model's embedded bytes to a file that <c>mlContext.Keypoints.LoadModel</c> can read: once per content,
/// as <c>&lt;name&gt;-&lt;first 16 hex digits of its SHA-256&gt;.onnx</c> in <c>Keypoints.MLNet/models</c> of the user's
/// cache (<c>$XDG_CACHE_HOME</c>, else <c>~/.cache</c>; on Windows <c>%LOCALAPPDATA%</c>).
/// </summary>
/// <remarks>As the library's TorchSharp copy (<c>Runtime/LibTorchSharpPreloader</c>): the folders are owner-only (a shared
/// folder would let another local user plant a model that this process then runs), a file is written through a rename
/// so that concurrent processes never read half of one, and an existing file is used only when its bytes are the
/// embedded ones.</remarks>
internal static class PretrainedModelCache
{
    private const string ResourcePrefix = "Keypoints.MLNet.Models.";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The shipped models' names, in the order the model card lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [PretrainedModelCatalog.Face68Name, PretrainedModelCatalog.Kaggle15Name];

    /// <summary>The path of the model named <paramref name="name"/> in the user's cache, written first when needed.</summary>
    /// <exception cref="ArgumentException">No shipped model has that name; the message lists the names.</exception>
    public static string Extract(string name) => Extract(name, DefaultRoot());

    /// <summary>The path of the model named <paramref name="name"/> under <paramref name="cacheRoot"/>, written first when
    /// absent or different.</summary>
    /// <exception cref="ArgumentException">No shipped model has that name; the message lists the names.</exception>
    /// <exception cref="UnauthorizedAccessException">A cache folder is open to other users and cannot be made owner-only.</exception>
    public static string Extract(string name, string cacheRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheRoot);
        var canonical = CanonicalName(name);
        var bytes = EmbeddedBytes(canonical);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        var folder = OwnerOnlyFolder(OwnerOnlyFolder(cacheRoot, "Keypoints.MLNet"), "models");
        var path = Path.Combine(folder, $"{canonical}-{hash}.onnx");
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            return path;
        var temp = path + "." + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>The embedded bytes of the model named <paramref name="name"/> (any case).</summary>
    /// <exception cref="ArgumentException">No shipped model has that name; the message lists the names.</exception>
    public static byte[] Bytes(string name) => EmbeddedBytes(CanonicalName(name));

    /// <summary>The name as <see cref="Names"/> spells it.</summary>
    /// <exception cref="ArgumentException">No shipped model has that name; the message lists the names.</exception>
    public static string CanonicalName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"No shipped model is named '{name}'; the names are {string.Join(", ", Names)}.", nameof(name));
    }

    private static byte[] EmbeddedBytes(string name)
    {
        var resource = ResourcePrefix + name + ".onnx";
        using var stream = typeof(PretrainedModelCache).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The assembly {typeof(PretrainedModelCache).Assembly.GetName().Name} lacks its resource '{resource}'.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static string DefaultRoot()
    {
        if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg)
            return xdg;
        if (OperatingSystem.IsWindows())
            return Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (home.Length == 0)
            throw new InvalidOperationException("Neither XDG_CACHE_HOME nor a home folder is set: nowhere to write the shipped models' files.");
        return Path.Combine(home, ".cache");
    }

    // Created owner-only; an existing folder that others may read or write is made owner-only, which fails unless this user owns it.
    private static string OwnerOnlyFolder(string parent, string name)
    {
        if (OperatingSystem.IsWindows())
            return Directory.CreateDirectory(Path.Combine(parent, name)).FullName;
        var folder = Directory.CreateDirectory(Path.Combine(parent, name), OwnerOnly).FullName;
        if ((File.GetUnixFileMode(folder) & ~OwnerOnly) != 0)
        {
            try
            {
                File.SetUnixFileMode(folder, OwnerOnly);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new UnauthorizedAccessException($"The model cache folder '{folder}' is open to other users and cannot be made owner-only: {e.Message}", e);
            }
        }
        return folder;
    }
}
