using System.Globalization;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Tests.Photos;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Models;

/// <summary><c>ml.Keypoints.Pretrained</c>: the shipped models load typed, by method and by name, and are ready for
/// photos.</summary>
public sealed class PretrainedModelsCatalogTests
{
    private readonly MLContext ml = new(seed: 1);

    [Fact]
    public void Names_AreFace68ThenKaggle15()
    {
        Assert.Equal(["face68", "kaggle15"], ml.Keypoints.Pretrained.Names);
    }

    [Fact]
    public void Face68_IsAnImageFileModel_OfTheIbug68Layout_WithItsFramingAndTerms()
    {
        using var model = ml.Keypoints.Pretrained.Face68();

        Assert.Equal(KeypointLayout.Ibug68.KeypointNames, model.Layout.KeypointNames);
        Assert.Equal(
            (96, 96, 1),
            (model.Network.Layout.ImageWidth, model.Network.Layout.ImageHeight, model.Metadata.Channels)
        );
        Assert.NotNull(model.Metadata.Framing);
        Assert.Equal(Cli.PretrainedCliTests.ShippedTerms, model.Metadata.Terms);
    }

    [Fact]
    public void Kaggle15_IsAPixelModel_OfTheKaggle15Layout_WithItsFramingAndTerms()
    {
        using var model = ml.Keypoints.Pretrained.Kaggle15();

        Assert.Equal(KeypointLayout.Kaggle15.KeypointNames, model.Layout.KeypointNames);
        Assert.Equal((96, 96), (model.Layout.ImageWidth, model.Layout.ImageHeight));
        Assert.NotNull(model.Framing);
        Assert.Equal(Cli.PretrainedCliTests.ShippedTerms, model.Metadata.Terms);
    }

    [Theory]
    [InlineData("face68", typeof(KeypointImageModel))]
    [InlineData("KAGGLE15", typeof(KeypointCnnModel))]
    public void Load_TakesTheName_InAnyCase(string name, Type type)
    {
        using var model = ml.Keypoints.Pretrained.Load(name);

        Assert.IsType(type, model);
    }

    [Fact]
    public void Load_OfAnUnknownName_FailsWithTheNames()
    {
        var error = Assert.Throws<ArgumentException>(() => ml.Keypoints.Pretrained.Load("face69"));

        Assert.Contains(
            "No shipped model is named 'face69'; the names are face68, kaggle15.",
            error.Message,
            StringComparison.Ordinal
        );
    }

    [Fact]
    public void FilePath_IsTheBareOnnxFile_ThatLoadModelReads()
    {
        string path = ml.Keypoints.Pretrained.FilePath("kaggle15");

        Assert.Matches(@"kaggle15-[0-9a-f]{16}\.onnx$", path);
        Assert.Equal("Kaggle15", KeypointModelInfo.Load(path).LayoutName);
    }

    [TierFact(Needs.FaceData)]
    public void Photos_WithFace68_FindsEachFaceOfAScene_With68PointsNearItsLabels()
    {
        var (photo, labels) = FirstScene();
        using var faces = ml.Keypoints.Photos(ml.Keypoints.Pretrained.Face68());

        var found = faces.Predict(photo);

        Assert.Equal(labels.Count, found.Count);
        foreach (float[] truth in labels)
        {
            var face = found.MinBy(f => Distance(EyeMidpoint(f.Keypoints), EyeMidpoint(truth)))!;
            Assert.Equal(136, face.Keypoints.Count);
            // The mean point error in units of the labelled inter-ocular distance (NME): a real model, not a stand-in.
            Assert.InRange(MeanPointError(face.Keypoints, truth) / InterOcularDistance(truth), 0, 0.2);
        }
    }

    [TierFact(Needs.FaceData)]
    public void Photos_WithKaggle15_FindsEachFaceOfAScene_With15Points()
    {
        var (photo, labels) = FirstScene();
        using var kaggle15 = ml.Keypoints.Pretrained.Kaggle15();
        using var faces = ml.Keypoints.Photos(kaggle15);

        var found = faces.Predict(photo);

        Assert.Equal(labels.Count, found.Count);
        Assert.All(found, f => Assert.Equal(30, f.Keypoints.Count));
    }

    [TierFact(Needs.FaceData)]
    public void PhotoModel_WithFace68_CountsTheFacesOfAScene()
    {
        var (photo, labels) = FirstScene();
        using var face68 = ml.Keypoints.Pretrained.Face68();
        using var photos = ml.Keypoints.PhotoModel(face68);

        var row = KeypointPhotoModelTests.Score(ml, photos, [photo]).Single();

        Assert.Equal(labels.Count, (int)row.FaceCount[0]);
    }

    /// <summary>The first picture of photos/scenes.csv and its faces' 68 labelled points (one CSV row per
    /// face).</summary>
    private static (string Photo, IReadOnlyList<float[]> Labels) FirstScene()
    {
        string csv = SharedData.Path("photos", "scenes.csv");
        string[][] rows = File.ReadLines(csv).Skip(1).Select(l => l.Split(',')).ToArray();
        string image = rows[0][0];
        float[][] labels = rows.Where(r => r[0] == image)
            .Select(r => r.Skip(1).Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        return (Path.Combine(Path.GetDirectoryName(csv)!, image), labels);
    }

    // iBUG-68: points 36-41 are the subject's right eye, 42-47 the left.
    private static (float X, float Y) EyeCentre(IReadOnlyList<float> points, int first) =>
        (
            Enumerable.Range(first, 6).Average(i => points[2 * i]),
            Enumerable.Range(first, 6).Average(i => points[(2 * i) + 1])
        );

    private static (float X, float Y) EyeMidpoint(IReadOnlyList<float> points)
    {
        var (right, left) = (EyeCentre(points, 36), EyeCentre(points, 42));
        return ((right.X + left.X) / 2, (right.Y + left.Y) / 2);
    }

    private static float InterOcularDistance(IReadOnlyList<float> points) =>
        Distance(EyeCentre(points, 36), EyeCentre(points, 42));

    private static float Distance((float X, float Y) a, (float X, float Y) b) =>
        MathF.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));

    private static float MeanPointError(IReadOnlyList<float> predicted, IReadOnlyList<float> truth) =>
        Enumerable
            .Range(0, truth.Count / 2)
            .Average(k => Distance((predicted[2 * k], predicted[(2 * k) + 1]), (truth[2 * k], truth[(2 * k) + 1])));
}
