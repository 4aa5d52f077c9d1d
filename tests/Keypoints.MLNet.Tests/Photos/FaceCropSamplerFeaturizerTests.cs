using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Photos;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Photos;

/// <summary>The photo pipeline gives the network what training gave it: on a whole training crop at its own size (no
/// resampling), <see cref="FaceCropSampler"/> matches the image-file featurizer (ML.NET's LoadImages,
/// ConvertToGrayscale, ExtractPixels) value for value, in grey and in colour.</summary>
public sealed class FaceCropSamplerFeaturizerTests
{
    [TierTheory(Needs.FaceData)]
    [InlineData(1)]
    [InlineData(3)]
    public void Fill_OfAWholeCropAtItsSize_MatchesTheImageFeaturizer(int channels)
    {
        string path = SharedData.Path(
            "landmarks68",
            File.ReadLines(SharedData.Path("landmarks68", "train.csv")).Skip(1).First().Split(',')[0]
        );
        var photo = RgbImage.Load(path);
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.LoadFromEnumerable([new PathRow { ImagePath = path }]);
        var featurized = ImageFeaturizer
            .Create(ml, "ImagePath", "Pixels", photo.Width, photo.Height, channels)
            .Fit(rows)
            .Transform(rows);
        float[] expected = featurized.GetColumn<VBuffer<float>>("Pixels").Single().DenseValues().ToArray();
        float[] actual = new float[channels * photo.Width * photo.Height];

        FaceCropSampler.Fill(photo, new FaceFrame(0, 0, 1, photo.Width, photo.Height), channels, actual);

        Assert.Equal(expected.Length, actual.Length);
        // ML.NET rounds its grey image to bytes; the sampler keeps the fraction.
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 1.0, $"largest difference {worst} of 255");
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }
}
