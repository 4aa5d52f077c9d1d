using Keypoints.MLNet.Tests.Scoring;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Transforms;

public sealed class PixelNormalizingEstimatorTests
{
    [Fact]
    public void NormalizePixels_ScalesInPlace_AndSurvivesSaveAndLoad()
    {
        var ml = new MLContext();
        var data = DrawnFaces.Validation(ml, 4);
        var transformer = ml.Transforms.Keypoints.NormalizePixels().Fit(data);
        float[][] raw = Columns.Vectors(data, "Image");
        float[][] normalized = Columns.Vectors(transformer.Transform(data), "Image");
        for (int i = 0; i < 9216; i += 97)
            Assert.Equal(raw[2][i] / 255f, normalized[2][i], 5); // x * (1/255f) and x / 255f differ by an ulp

        using var stream = new MemoryStream();
        ml.Model.Save(transformer, data.Schema, stream);
        stream.Position = 0;
        float[][] reloaded = Columns.Vectors(ml.Model.Load(stream, out _).Transform(data), "Image");
        Assert.Equal(normalized, reloaded);
        Assert.Equal(
            ["Image", "Keypoints"],
            transformer.Transform(data).Schema.Where(c => !c.IsHidden).Select(c => c.Name)
        );
    }

    [Fact]
    public void NormalizePixels_WritesANewColumn_WithOffsetAndScale()
    {
        var ml = new MLContext();
        var data = DrawnFaces.Validation(ml, 2);
        var output = ml
            .Transforms.Keypoints.NormalizePixels("Normalized", "Image", offset: 128, scale: 1 / 128f)
            .Fit(data)
            .Transform(data);
        float[][] raw = Columns.Vectors(data, "Image");
        float[][] normalized = Columns.Vectors(output, "Normalized");
        Assert.Equal((raw[1][100] - 128) / 128f, normalized[1][100], 6);
    }

    [Fact]
    public void NormalizePixels_NamesAMissingColumn()
    {
        var ml = new MLContext();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.Keypoints.NormalizePixels("Out", "Pixels").Fit(DrawnFaces.Validation(ml, 1))
        );
        Assert.Contains("'Pixels' was not found", error.Message, StringComparison.Ordinal);
    }
}
