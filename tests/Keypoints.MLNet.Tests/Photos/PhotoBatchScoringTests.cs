using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Photos;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Photos;

/// <summary>Scoring many faces and many photos at once with the shipped face68 model on pictures made from the
/// repository's portrait (<see cref="SamplePhotos"/>): a photo's faces go through the keypoint network in one batch,
/// and a list of photos is shared out to threads, with the same answers as one face and one photo at a time.</summary>
public sealed class PhotoBatchScoringTests : IDisposable
{
    private readonly MLContext ml = new(seed: 1);
    private readonly FaceKeypointsPredictor predictor;

    public PhotoBatchScoringTests()
    {
        using var model = ml.Keypoints.Pretrained.Face68();
        predictor = ml.Keypoints.Photos(model, new PhotoKeypointsOptions { NetworkIntraOpThreads = 1 });
    }

    public void Dispose() => predictor.Dispose();

    [Fact]
    public void Predict_APhotosFacesInOneBatch_GivesTheKeypointsOfEachFaceScoredAlone()
    {
        var scene = RgbImage.Load(SamplePhotos.Scenes[1]);

        var batched = predictor.Predict(scene);

        Assert.Equal(3, batched.Count);
        foreach (var face in batched)
        {
            var alone = Assert.Single(predictor.Predict(scene, [face.Detection]));
            Assert.Equal(face.Keypoints.Count, alone.Keypoints.Count);
            for (int k = 0; k < face.Keypoints.Count; k++)
                Assert.InRange(Math.Abs(face.Keypoints[k] - alone.Keypoints[k]), 0, 1e-3);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(16)]
    public void Predict_ManyPhotosOnSeveralThreads_GivesEachPhotosFaces_InTheListsOrder(int threads)
    {
        string[] photos =
        [
            .. SamplePhotos.Scenes,
            .. SamplePhotos.Frames,
            SamplePhotos.Portrait,
            SamplePhotos.Scenes[0],
        ];
        var expected = photos.Select(predictor.Predict).ToArray();

        var found = predictor.Predict(photos, threads);

        Assert.Equal(photos.Length, found.Count);
        for (int p = 0; p < photos.Length; p++)
        {
            Assert.Equal(expected[p].Count, found[p].Count);
            for (int f = 0; f < expected[p].Count; f++)
            {
                Assert.Equal(expected[p][f].Box, found[p][f].Box);
                Assert.Equal(expected[p][f].Keypoints, found[p][f].Keypoints);
            }
        }
        Assert.Equal([2, 3, 2, 1, 1, 1, 1, 1, 2], found.Select(f => f.Count));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Predict_ManyPhotos_ThrowsTheErrorOfTheFirstPhotoInOrderThatFails(int threads)
    {
        using var folder = new TempFolder();
        string missing = folder.File("missing.jpg");
        string text = folder.Write("text.jpg", "not an image");
        string[] photos = [SamplePhotos.Scenes[0], SamplePhotos.Portrait, missing, SamplePhotos.Scenes[1], text];

        var error = Assert.Throws<FileNotFoundException>(() => predictor.Predict(photos, threads));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        var invalid = Assert.Throws<InvalidDataException>(() => predictor.Predict([.. photos[3..], missing], threads));
        Assert.Contains(text, invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_ManyPhotos_RefusesFewerThanOneThread_AndGivesNoListsForNoPhotos()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.Predict([SamplePhotos.Portrait], 0));
        Assert.Empty(predictor.Predict(Array.Empty<string>(), 2));
    }
}
