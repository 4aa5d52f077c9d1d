using System.Security.Cryptography;
using Keypoints.MLNet.Runtime;

namespace Keypoints.MLNet;

/// <summary>
/// Writes a shipped model's embedded bytes to a file that <c>mlContext.Keypoints.LoadModel</c> can read: once per
/// content, as <c>&lt;name&gt;-&lt;first 16 hex digits of its SHA-256&gt;.onnx</c> in <c>Keypoints.MLNet/models</c> of
/// the user's cache (<c>$XDG_CACHE_HOME</c>, else <c>~/.cache</c>; on Windows <c>%LOCALAPPDATA%</c>).
/// </summary>
/// <remarks>Written by <see cref="UserCacheFile"/>, as the library's TorchSharp copy is: owner-only folders, a rename,
/// and an existing file used only when its bytes are the embedded ones.</remarks>
internal static class PretrainedModelCache
{
    private const string ResourcePrefix = "Keypoints.MLNet.Models.";

    /// <summary>The shipped models' names, in the order the model card lists them.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [PretrainedModelsCatalog.Face68Name, PretrainedModelsCatalog.Kaggle15Name];

    /// <summary>The path of the model named <paramref name="name"/> in the user's cache, written first when
    /// needed.</summary>
    /// <exception cref="ArgumentException">No shipped model has that name; the message lists the names.</exception>
    public static string Extract(string name) => Extract(name, UserCacheFile.DefaultRoot());

    /// <summary>The path of the model named <paramref name="name"/> under <paramref name="cacheRoot"/>, written first
    /// when absent or different.</summary>
    /// <exception cref="ArgumentException">No shipped model has that name; the message lists the names.</exception>
    /// <exception cref="UnauthorizedAccessException">A cache folder is open to other users and cannot be made
    /// owner-only.</exception>
    public static string Extract(string name, string cacheRoot)
    {
        string canonical = CanonicalName(name);
        byte[] bytes = EmbeddedBytes(canonical);
        string hash = Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];
        return UserCacheFile.Write(cacheRoot, "models", $"{canonical}-{hash}.onnx", bytes);
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
            ?? throw new ArgumentException(
                $"No shipped model is named '{name}'; the names are {string.Join(", ", Names)}.",
                nameof(name)
            );
    }

    private static byte[] EmbeddedBytes(string name)
    {
        string resource = ResourcePrefix + name + ".onnx";
        using var stream = typeof(PretrainedModelCache).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException(
                $"The assembly {typeof(PretrainedModelCache).Assembly.GetName().Name} lacks its resource '{resource}'."
            );
        byte[] bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
