using Keypoints.MLNet.Scoring;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary>Scoring one model from several threads: the hazard of ML.NET's default prediction engine (disposing it
/// disposes the model's shared ONNX Runtime session), the engines of <c>ml.Keypoints.CreatePredictionEngine</c> that do
/// not own the model, the pooled <see cref="CropKeypointsPredictor"/>, and <c>Transform</c> from several
/// threads.</summary>
public sealed class ConcurrentScoringTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private const int Threads = 4;

    [Fact]
    public void DisposingADefaultPredictionEngine_DisposesTheModelsSession_SoTheModelNoLongerScores()
    {
        // The hazard the library's scoring types guard against, shown on a copy of the model (the fixture's stays
        // intact).
        using var model = IndependentCopy();
        var faces = Faces();
        var engine = fixture.Ml.Model.CreatePredictionEngine<Face, Prediction>(model);
        Assert.Equal(model.Layout.CoordinateCount, engine.Predict(faces[0]).PredictedKeypoints.Length);

        engine.Dispose();

        Assert.ThrowsAny<Exception>(() => Columns.Vectors(model.Transform(fixture.Validation), "PredictedKeypoints"));
    }

    [Fact]
    public void EnginesNotOwningTheModel_UsedAndDisposedOnSeveralThreads_GiveTheBatchNumbers_AndTheModelStillScores()
    {
        using var model = IndependentCopy();
        var faces = Faces();
        float[][] batch = Columns.Vectors(model.Transform(fixture.Validation), "PredictedKeypoints");

        float[][][] results = new float[Threads][][];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (int round = 0; round < 3; round++)
            {
                using var engine = fixture.Ml.Keypoints.CreatePredictionEngine<Face, Prediction>(model);
                results[t] = [.. faces.Select(f => engine.Predict(f).PredictedKeypoints)];
            }
        });

        Assert.All(results, r => AssertClose(batch, r));
        Assert.Equal(batch, Columns.Vectors(model.Transform(fixture.Validation), "PredictedKeypoints"));
        using var another = fixture.Ml.Keypoints.CreatePredictionEngine<Face, Prediction>(model);
        AssertClose(batch[0], another.Predict(faces[0]).PredictedKeypoints);
    }

    [Fact]
    public void Transform_FromSeveralThreadsOnOneModel_GivesTheSameNumbersAsOneThread()
    {
        float[][] expected = Columns.Vectors(fixture.Model.Transform(fixture.Validation), "PredictedKeypoints");

        float[][][] results = new float[Threads][][];
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
            results[t] = Columns.Vectors(fixture.Model.Transform(fixture.Validation), "PredictedKeypoints")
        );

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Crops_FromSeveralThreads_GiveTheBatchNumbers_WhateverIsDisposedFirst()
    {
        var model = IndependentCopy();
        float[][] pixels = Faces().Select(f => f.Image).ToArray();
        float[][] batch = Columns.Vectors(model.Transform(fixture.Validation), "PredictedKeypoints");
        var crops = fixture.Ml.Keypoints.Crops(model, maximumRetainedEngines: 2);
        model.Dispose();

        float[][] results = new float[pixels.Length][];
        Parallel.For(0, pixels.Length, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i =>
            results[i] = crops.Predict(pixels[i])
        );

        AssertClose(batch, results);
        Assert.Equal(model.Layout, crops.Layout);
        Assert.Equal(96 * 96, crops.InputLength);
        crops.Dispose();
        Assert.Throws<ObjectDisposedException>(() => crops.Predict(pixels[0]));
    }

    [Fact]
    public async Task Crops_DisposedWhileOtherThreadsPredict_LetsTheirCallsFinish_ThenRefusesNewOnes()
    {
        float[] pixels = Faces()[0].Image;
        var crops = fixture.Ml.Keypoints.Crops(fixture.Model);
        float[] expected = crops.Predict(pixels);
        var (answered, refused) = await DisposeDuringScoring.Run(
            crops,
            () => Assert.Equal(expected, crops.Predict(pixels)),
            Threads
        );

        Assert.True(answered > 0);
        Assert.Equal(Threads, refused);
    }

    [Fact]
    public void Crops_RefuseACropOfTheWrongSize_NamingTheSizes()
    {
        using var crops = fixture.Ml.Keypoints.Crops(fixture.Model);

        var error = Assert.Throws<ArgumentException>(() => crops.Predict(new float[100]));

        Assert.Contains("9216", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 x 96 x 96", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A model on the same graph as the fixture's, with its own ONNX Runtime session.</summary>
    private KeypointCnnModel IndependentCopy() => fixture.Model.WithTestTimeFlip(fixture.Model.TestTimeFlip);

    private Face[] Faces() => [.. fixture.Ml.Data.CreateEnumerable<Face>(fixture.Validation, reuseRowObject: false)];

    /// <summary>One face at a time and a batch run different kernels in ONNX Runtime, so they agree to rounding, not
    /// bit for bit.</summary>
    private static void AssertClose(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            AssertClose(expected[i], actual[i]);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
            Assert.Equal(expected[k], actual[k], 0.001f);
    }

    private sealed class Face
    {
        [VectorType(96 * 96)]
        public float[] Image { get; set; } = [];
    }

    private sealed class Prediction
    {
        public float[] PredictedKeypoints { get; set; } = [];
    }
}
