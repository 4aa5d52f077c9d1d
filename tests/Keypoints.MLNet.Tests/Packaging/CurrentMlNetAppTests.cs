using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Keypoints.MLNet.Tests.Packaging;

/// <summary>The packed library and models as an app on today's ML.NET meets them: a fresh app that references
/// <c>Keypoints.MLNet.Models</c> beside ML.NET 6.0.0 and ONNX Runtime 1.32.0 scores the sample photo through
/// <c>Photos</c>, and saves and reloads a <c>PhotoModel</c> chain with plain ML.NET; the packages' declared dependency
/// ranges keep an app on an older ML.NET from restoring at all.</summary>
[Trait("Category", "Integration")]
public sealed class CurrentMlNetAppTests(ITestOutputHelper output)
{
    private const string MlNet = "6.0.0";
    private const string OnnxRuntime = "1.32.0";

    private const string Program = """
        using System.Globalization;
        using System.Reflection;
        using Keypoints.MLNet;
        using Microsoft.ML;

        static string Version(Type type) => type.Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        static float Mean(IEnumerable<float> values, int axis) => values.Where((_, i) => i % 2 == axis).Average();
        static string Line(string what, IReadOnlyList<float> keypoints) =>
            string.Create(CultureInfo.InvariantCulture, $"{what} {Mean(keypoints, 0):F2} {Mean(keypoints, 1):F2}");

        Console.WriteLine($"versions ML.NET {Version(typeof(MLContext))}, "
            + $"SkiaSharp {Version(typeof(SkiaSharp.SKBitmap))}, "
            + $"ONNX Runtime {Version(typeof(Microsoft.ML.OnnxRuntime.InferenceSession))}");
        var ml = new MLContext();
        using var model = ml.Keypoints.Pretrained.Face68();
        using (var photos = ml.Keypoints.Photos(model))
        {
            foreach (var face in photos.Predict(args[0]))
                Console.WriteLine(Line("photos", face.Keypoints));
        }
        using (var chain = ml.Keypoints.PhotoModel(model))
            ml.Model.Save(chain, ml.Data.LoadFromEnumerable(new[] { new Photo() }).Schema, "photos.zip");

        var plain = new MLContext();
        plain.ComponentCatalog.RegisterAssembly(typeof(Microsoft.ML.Data.ImageLoadingTransformer).Assembly);
        var engine = plain.Model.CreatePredictionEngine<Photo, PhotoFaces>(plain.Model.Load("photos.zip", out _));
        var faces = engine.Predict(new Photo { ImagePath = args[0] });
        int points = faces.FaceKeypoints.Length / faces.FaceScores.Length;
        for (int f = 0; f < (int)faces.FaceCount[0]; f++)
        {
            var keypoints = faces.FaceKeypoints.Skip(f * points).Take(points).ToArray();
            Console.WriteLine(Line("chain", keypoints));
        }

        class Photo { public string ImagePath { get; set; } = ""; }
        class PhotoFaces
        {
            public float[] FaceCount { get; set; } = [];
            public float[] FaceScores { get; set; } = [];
            public float[] FaceKeypoints { get; set; } = [];
        }
        """;

    [Fact]
    public void AppOnMlNet6_ScoresTheSamplePhoto_AndSavesAndReloadsAPhotoModelChain()
    {
        using var feed = new LocalFeed("0.1.0-mlnet6");
        string library = feed.Pack("Keypoints.MLNet");
        feed.Pack("Keypoints.MLNet.Models");
        AssertDependency(library, "Microsoft.ML", "[6.0.0, 7.0.0)");
        AssertDependency(library, "Microsoft.ML.OnnxRuntime", "[1.32.0, 2.0.0)");
        AssertDependency(library, "SkiaSharp", "[3.119.2, 4.0.0)");

        string app = feed.WriteApp("CurrentMlNet", References(feed.Version, MlNet), Program);
        LocalFeed.Dotnet(
            app,
            "build",
            "-c",
            "Release",
            "--disable-build-servers",
            "-p:CreateHardLinksForCopyLocalIfPossible=true"
        );
        string photo = Path.Combine(SharedData.RepositoryRoot, "samples", "astronaut.jpg");
        var run = ProcessRunner.Run(
            "dotnet",
            [Path.Combine(app, "bin", "Release", "net10.0", "CurrentMlNet.dll"), photo],
            TimeSpan.FromMinutes(5),
            workingDirectory: app
        );
        output.WriteLine(run.StandardOutput + run.StandardError);
        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);

        string[] lines = run.StandardOutput.Split(
            '\n',
            StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries
        );
        Assert.Contains(lines, l =>
            l.StartsWith($"versions ML.NET {MlNet}, SkiaSharp 3.", StringComparison.Ordinal)
            && l.EndsWith($"ONNX Runtime {OnnxRuntime}", StringComparison.Ordinal)
        );
        var photos = Centres(lines, "photos");
        var chain = Centres(lines, "chain");
        Assert.Single(photos);
        Assert.Single(chain);
        // The astronaut's face lies around (225, 125) in the 512 x 512 portrait; both paths agree within a few pixels.
        Assert.InRange(photos[0].X, 190, 260);
        Assert.InRange(photos[0].Y, 90, 160);
        Assert.InRange(Math.Abs(photos[0].X - chain[0].X), 0, 3);
        Assert.InRange(Math.Abs(photos[0].Y - chain[0].Y), 0, 3);
    }

    [Fact]
    public void AppOnMlNet5_IsRefusedAtRestore_NamingTheDeclaredRange()
    {
        using var feed = new LocalFeed("0.1.0-mlnet5");
        feed.Pack("Keypoints.MLNet");
        feed.Pack("Keypoints.MLNet.Models");
        string app = feed.WriteApp("OlderMlNet", References(feed.Version, "5.0.1"), "Console.WriteLine();\n");
        var restore = ProcessRunner.Run(
            "dotnet",
            ["restore", "--disable-build-servers"],
            TimeSpan.FromMinutes(10),
            app
        );
        output.WriteLine(restore.StandardOutput + restore.StandardError);
        Assert.NotEqual(0, restore.ExitCode);
        Assert.Contains("NU1605", restore.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Microsoft.ML", restore.StandardOutput, StringComparison.Ordinal);
    }

    private static (string Id, string Version)[] References(string keypoints, string mlNet) =>
        [
            ("Keypoints.MLNet.Models", keypoints),
            ("Microsoft.ML", mlNet),
            ("Microsoft.ML.ImageAnalytics", mlNet),
            ("Microsoft.ML.OnnxTransformer", mlNet),
            ("Microsoft.ML.OnnxRuntime", OnnxRuntime),
        ];

    private static void AssertDependency(string package, string id, string range)
    {
        using var zip = ZipFile.OpenRead(package);
        var nuspec = XDocument.Load(
            zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open()
        );
        var dependency = nuspec
            .Descendants()
            .Single(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") == id);
        Assert.Equal(range, (string?)dependency.Attribute("version"));
    }

    private static List<(double X, double Y)> Centres(string[] lines, string what) =>
        [
            .. lines
                .Where(l => l.StartsWith(what + " ", StringComparison.Ordinal))
                .Select(l => l.Split(' '))
                .Select(p =>
                    (double.Parse(p[1], CultureInfo.InvariantCulture), double.Parse(p[2], CultureInfo.InvariantCulture))
                ),
        ];
}
