using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Photos;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Photos;

/// <summary>The photo pipeline end to end on a real photo, with a synthetic keypoint graph whose output is a fixed
/// point of its frame: so where the points land in the photo tests the framing and the map back, not a network's
/// skill.</summary>
public sealed class FaceKeypointsPredictorTests
{
    private const int Side = FixedPointModels.Side;
    private static readonly FaceFraming Framing = FixedPointModels.Framing;

    [Fact]
    public void Predict_AModelThatAnswersTheFramingsEyeMidpoint_LandsOnTheCalibratedDetectorEyeMidpoint()
    {
        var ml = new MLContext(seed: 1);
        using var model = FixedPointModels.Create(
            ml,
            (float)(Framing.EyeMidpointX * Side),
            (float)(Framing.EyeMidpointY * Side)
        );
        using var predictor = ml.Keypoints.Photos(model);

        var faces = predictor.Predict(FirstFramePhoto());

        var face = Assert.Single(faces);
        Assert.Equal(KeypointLayout.Ibug68.KeypointNames, face.KeypointNames);
        var (x, y, _) = DetectorEyeCalibration.Default.EyeMidpoint(face.Detection);
        for (int k = 0; k < face.Keypoints.Count; k += 2)
        {
            Assert.Equal(x, face.Keypoints[k], 2);
            Assert.Equal(y, face.Keypoints[k + 1], 2);
        }
        Assert.Equal(predictor.FrameOf(face.Detection), face.Frame);
    }

    [Fact]
    public void Predict_MapsNetworkPixelsBackWithPixelCentresAtIntegers()
    {
        var ml = new MLContext(seed: 1);
        using var model = FixedPointModels.Create(ml, 0, Side - 1);
        using var predictor = ml.Keypoints.Photos(model);

        var face = Assert.Single(predictor.Predict(FirstFramePhoto()));

        var frame = face.Frame;
        Assert.Equal(frame.Left + (0.5 * frame.Scale) - 0.5, face.Keypoints[0], 2);
        Assert.Equal(frame.Top + ((Side - 0.5) * frame.Scale) - 0.5, face.Keypoints[1], 2);
        Assert.Equal(face.Keypoints[0], face["jaw_0"].X);
    }

    [Fact]
    public void Photos_OfAModelWithoutFraming_AsksForTheFramingOption_AndUsesIt()
    {
        var ml = new MLContext(seed: 1);
        using var model = FixedPointModels.Create(ml, 10, 10, withFraming: false);

        var error = Assert.Throws<ArgumentException>(() => ml.Keypoints.Photos(model));
        Assert.Contains(nameof(PhotoKeypointsOptions.Framing), error.Message, StringComparison.Ordinal);
        using var predictor = ml.Keypoints.Photos(model, new PhotoKeypointsOptions { Framing = Framing });
        Assert.Single(predictor.Predict(FirstFramePhoto()));
    }

    [Fact]
    public void Predict_FromSeveralThreads_GivesTheSameFacesAsOneThread()
    {
        var ml = new MLContext(seed: 1);
        using var model = FixedPointModels.Create(ml, 20, 20);
        using var predictor = ml.Keypoints.Photos(model);
        string photo = FirstFramePhoto();
        var expected = predictor.Predict(photo).Single().Keypoints;

        var results = new IReadOnlyList<float>[8];
        Parallel.For(0, results.Length, i => results[i] = predictor.Predict(photo).Single().Keypoints);

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public async Task Dispose_WhileOtherThreadsPredict_LetsTheirCallsFinish_ThenRefusesNewOnes()
    {
        var ml = new MLContext(seed: 1);
        using var model = FixedPointModels.Create(ml, 20, 20);
        var predictor = ml.Keypoints.Photos(model);
        var photo = RgbImage.Load(FirstFramePhoto());
        var expected = predictor.Predict(photo).Single().Keypoints;
        var (answered, refused) = await DisposeDuringScoring.Run(
            predictor,
            () => Assert.Equal(expected, predictor.Predict(photo).Single().Keypoints),
            threads: 4
        );

        Assert.True(answered > 0);
        Assert.Equal(4, refused);
    }

    [Fact]
    public void Predict_WithOneNetworkThread_GivesTheSameFaces_AndANegativeCountIsRefused()
    {
        var ml = new MLContext(seed: 1);
        using var model = FixedPointModels.Create(ml, 20, 20);
        using var predictor = ml.Keypoints.Photos(model);
        using var oneThread = ml.Keypoints.Photos(model, new PhotoKeypointsOptions { NetworkIntraOpThreads = 1 });
        string photo = FirstFramePhoto();

        Assert.Equal(predictor.Predict(photo).Single().Keypoints, oneThread.Predict(photo).Single().Keypoints);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Keypoints.Photos(model, new PhotoKeypointsOptions { NetworkIntraOpThreads = -1 })
        );
    }

    /// <summary>A photo of one face that ships with the repository (NASA's public-domain portrait).</summary>
    private static string FirstFramePhoto() => Path.Combine(SharedData.RepositoryRoot, "samples", "astronaut.jpg");
}
