using Keypoints.MLNet.Data;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Images;

/// <summary>The saved image chain refuses an image file that does not decode completely, naming it, instead of scoring
/// the grey pixels ML.NET's loader fills in.</summary>
public sealed class ImageFeaturizerTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MLContext ml = new(seed: 1);

    public void Dispose() => folder.Dispose();

    [TierTheory(Needs.FaceData)]
    [InlineData("truncated.jpg", "cannot be decoded completely")]
    [InlineData("text.jpg", "is not an image that can be read")]
    [InlineData("empty.jpg", "is empty.")]
    public void Transform_NamesTheFile_WhenTheImageDoesNotDecodeCompletely_AfterSaveAndLoad(string name, string problem)
    {
        string good = Directory
            .GetFiles(SharedData.Path("landmarks68", "images", "validation"), "*.jpg")
            .Order(StringComparer.Ordinal)
            .First();
        string bad = WriteBadImage(good, name);
        var chain = ImageFeaturizer.Create(ml, "ImagePath", "Pixels", 32, 32, channels: 1).Fit(Paths(good));
        string zip = folder.File("featurizer.zip");
        ml.Model.Save(chain, Paths(good).Schema, zip);
        var loaded = ml.Model.Load(zip, out _);
        Assert.Equal(32 * 32, Pixels(loaded, good).Length);

        var error = Assert.ThrowsAny<Exception>(() => Pixels(loaded, bad));

        var dataError = Assert.IsType<InvalidDataException>(WrappedDataError.Find(error));
        Assert.Equal($"Image file '{bad}' {problem}", dataError.Message[..$"Image file '{bad}' {problem}".Length]);
    }

    private string WriteBadImage(string good, string name)
    {
        string path = folder.File(name);
        switch (name)
        {
            case "truncated.jpg":
                byte[] bytes = File.ReadAllBytes(good);
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "text.jpg":
                File.WriteAllText(path, "this is not a JPEG");
                break;
            default:
                File.WriteAllBytes(path, []);
                break;
        }
        return path;
    }

    private IDataView Paths(string path) => ml.Data.LoadFromEnumerable([new ImageRow { ImagePath = path }]);

    private float[] Pixels(ITransformer chain, string path) =>
        chain.Transform(Paths(path)).GetColumn<VBuffer<float>>("Pixels").Single().DenseValues().ToArray();

    private sealed class ImageRow
    {
        public string ImagePath { get; set; } = "";
    }
}
