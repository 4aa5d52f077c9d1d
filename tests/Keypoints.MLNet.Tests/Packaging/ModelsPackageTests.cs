using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Keypoints.MLNet.Tests.Packaging;

/// <summary>The <c>Keypoints.MLNet.Models</c> package: the two models inside its assembly, the model card as its
/// README, the provenance beside it, a dependency on the library of the same version, and under 60 MB.</summary>
[Trait("Category", "Integration")]
public sealed class ModelsPackageTests(ITestOutputHelper output)
{
    private const long MaximumBytes = 60L * 1024 * 1024;

    [Fact]
    public void Package_HoldsBothModels_TheCardAndTheProvenance_DependsOnTheLibrary_AndStaysUnder60MB()
    {
        using var feed = new LocalFeed("0.1.0-models");
        string package = feed.Pack("Keypoints.MLNet.Models");
        string version = feed.Version;
        long size = new FileInfo(package).Length;
        output.WriteLine($"{Path.GetFileName(package)}: {size / 1024} KiB");

        Assert.InRange(size, 1, MaximumBytes);
        using var zip = ZipFile.OpenRead(package);
        Assert.NotNull(zip.GetEntry("README.md"));
        Assert.NotNull(zip.GetEntry("models/PROVENANCE.md"));
        var assembly = zip.GetEntry("lib/net10.0/Keypoints.MLNet.Models.dll");
        Assert.NotNull(assembly);
        Assert.Equal(
            ["Keypoints.MLNet.Models.face68.onnx", "Keypoints.MLNet.Models.kaggle15.onnx"],
            Resources(assembly)
        );
        var nuspec = XDocument.Load(
            zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()
        );
        var dependency = nuspec
            .Descendants()
            .Single(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == "Keypoints.MLNet");
        Assert.Equal(version, (string?)dependency.Attribute("version"));
        Assert.Equal("README.md", nuspec.Descendants().Single(e => e.Name.LocalName == "readme").Value);
    }

    private static string[] Resources(ZipArchiveEntry assembly)
    {
        using var stream = new MemoryStream();
        using (var entry = assembly.Open())
            entry.CopyTo(stream);
        stream.Position = 0;
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return
        [
            .. metadata
                .ManifestResources.Select(h => metadata.GetString(metadata.GetManifestResource(h).Name))
                .Order(StringComparer.Ordinal),
        ];
    }
}
