using System.Security.Cryptography;

namespace Keypoints.MLNet.Tests.Models;

/// <summary>The shipped models' files in the user's cache: written once per content, owner-only, verified before
/// use.</summary>
public sealed class PretrainedModelCacheTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public void Extract_WritesTheEmbeddedBytes_UnderAContentName_AndReusesTheFile()
    {
        using var cache = new TempFolder();

        string path = PretrainedModelCache.Extract("face68", cache.Folder);
        var written = File.GetLastWriteTimeUtc(path);
        string again = PretrainedModelCache.Extract("FACE68", cache.Folder);

        Assert.Equal(path, again);
        Assert.Equal(Path.Combine(cache.Folder, "Keypoints.MLNet", "models"), Path.GetDirectoryName(path));
        string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        Assert.Equal($"face68-{hash[..16]}.onnx", Path.GetFileName(path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(again));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Extract_RewritesAFileWhoseBytesAreNotTheEmbeddedOnes()
    {
        using var cache = new TempFolder();
        string path = PretrainedModelCache.Extract("kaggle15", cache.Folder);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, [.. bytes.Take(1000)]);

        Assert.Equal(path, PretrainedModelCache.Extract("kaggle15", cache.Folder));
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Extract_MakesTheCacheFoldersOwnerOnly_EvenWhenTheyExistedOpen()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var cache = new TempFolder();
        string root = Directory.CreateDirectory(Path.Combine(cache.Folder, "Keypoints.MLNet")).FullName;
        File.SetUnixFileMode(
            root,
            OwnerOnly | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.OtherRead
        );

        string path = PretrainedModelCache.Extract("face68", cache.Folder);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(root));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void Extract_OfAnUnknownName_FailsWithTheNames()
    {
        using var cache = new TempFolder();

        var error = Assert.Throws<ArgumentException>(() => PretrainedModelCache.Extract("face69", cache.Folder));

        Assert.StartsWith(
            "No shipped model is named 'face69'; the names are face68, kaggle15.",
            error.Message,
            StringComparison.Ordinal
        );
        Assert.Empty(Directory.GetFileSystemEntries(cache.Folder));
    }

    [Theory]
    [InlineData("face68")]
    [InlineData("kaggle15")]
    public void EachModelFile_HasTheSha256ThatProvenanceRecords(string name)
    {
        string folder = Path.Combine(SharedData.RepositoryRoot, "src", "Keypoints.MLNet.Models", "models");
        string hash = Convert.ToHexStringLower(
            SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, name + ".onnx")))
        );
        string provenance = File.ReadAllText(Path.Combine(folder, "PROVENANCE.md"));

        string section = provenance[provenance.IndexOf($"## {name}.onnx", StringComparison.Ordinal)..];
        Assert.Contains($"| SHA-256 | {hash}", section, StringComparison.Ordinal);
    }
}
