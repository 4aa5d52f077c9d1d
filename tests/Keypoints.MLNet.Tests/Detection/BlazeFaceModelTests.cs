using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Keypoints.MLNet.Detection;

namespace Keypoints.MLNet.Tests.Detection;

/// <summary>The embedded BlazeFace model is the file <c>models/PROVENANCE.md</c> describes.</summary>
public sealed partial class BlazeFaceModelTests
{
    [Fact]
    public void EmbeddedModel_Sha256_MatchesProvenance()
    {
        string provenance = File.ReadAllText(
            Path.Combine(SharedData.RepositoryRoot, "src", "Keypoints.MLNet", "models", "PROVENANCE.md")
        );
        var recorded = Sha256Row().Match(provenance);
        Assert.True(recorded.Success, "models/PROVENANCE.md has no '| SHA-256 | <hex> |' row.");

        string actual = Convert.ToHexStringLower(SHA256.HashData(FaceDetector.ReadModel()));

        Assert.Equal(recorded.Groups[1].Value, actual);
    }

    [Fact]
    public void ModelsFolder_HoldsTheApacheLicence()
    {
        string licence = File.ReadAllText(
            Path.Combine(SharedData.RepositoryRoot, "src", "Keypoints.MLNet", "models", "LICENSE")
        );
        Assert.Contains("Apache License", licence, StringComparison.Ordinal);
        Assert.Contains("Version 2.0", licence, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\|\s*SHA-256\s*\|\s*([0-9a-f]{64})\s*\|")]
    private static partial Regex Sha256Row();
}
