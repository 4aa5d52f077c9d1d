using System.Globalization;
using Keypoints.MLNet.Photos;
using Keypoints.MLNet.Tests.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace Keypoints.MLNet.Tests.Photos;

/// <summary>The photo pipeline as one saveable ML.NET model: the same faces as the C# pipeline
/// (<see cref="FaceKeypointsPredictor"/>), through <c>Model.Save</c> and <c>Model.Load</c> with ML.NET's own
/// transformers.</summary>
public sealed class KeypointPhotoModelTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    private static readonly string[] Scenes = SamplePhotos.Scenes;

    [Fact]
    public void Transform_FindsTheFacesOfTheCSharpPipeline_WithTheirBoxesScoresAndKeypoints()
    {
        var ml = fixture.Ml;
        using var photos = ml.Keypoints.PhotoModel(fixture.Model);
        using var predictor = ml.Keypoints.Photos(fixture.Model);

        var rows = Score(ml, photos, Scenes);

        int coordinates = fixture.Model.Layout.CoordinateCount;
        for (int i = 0; i < Scenes.Length; i++)
        {
            var expected = predictor.Predict(Scenes[i]);
            var row = rows[i];
            Assert.Equal(expected.Count, (int)row.FaceCount[0]);
            Assert.InRange(expected.Count, 2, photos.MaxFaces);
            foreach (var face in expected)
            {
                // Near-equal scores may come in another order, so each face is matched by its box.
                int f = Enumerable
                    .Range(0, expected.Count)
                    .MinBy(f =>
                        Math.Abs(row.FaceBoxes[4 * f] - face.Box.Left)
                        + Math.Abs(row.FaceBoxes[(4 * f) + 1] - face.Box.Top)
                    );
                Assert.Equal(face.Score, row.FaceScores[f], 0.01);
                // The detector's input is resampled differently too: boxes agree to a percent of their size.
                double box = Math.Max(0.3, 0.01 * face.Box.Width);
                Assert.Equal(face.Box.Left, row.FaceBoxes[4 * f], box);
                Assert.Equal(face.Box.Top, row.FaceBoxes[(4 * f) + 1], box);
                Assert.Equal(face.Box.Width, row.FaceBoxes[(4 * f) + 2], box);
                Assert.Equal(face.Box.Height, row.FaceBoxes[(4 * f) + 3], box);
                // The crops are resampled differently (bilinear from a pyramid, not the C# tent filter), so the points
                // agree to a small fraction of the face's size, not exactly.
                float tolerance = 0.05f * face.Box.Width;
                for (int c = 0; c < coordinates; c++)
                    Assert.Equal(face.Keypoints[c], row.FaceKeypoints[(f * coordinates) + c], tolerance);
            }
            Assert.All(row.FaceScores.Skip(expected.Count), s => Assert.Equal(0f, s));
            Assert.All(row.FaceKeypoints.Skip(expected.Count * coordinates), v => Assert.True(float.IsNaN(v)));
            Assert.Equal([640f, 480f], row.PhotoSize);
        }
    }

    [Fact]
    public void Transform_OfSmallPortraitFrames_EnlargedIntoTheWorkingFrame_FindsTheFacesOfTheCSharpPipeline()
    {
        // Frames of 90-300 pixels, taller than wide: the working frame enlarges them (scale above 1, a left margin),
        // and their faces are large in it, so the crops come from the pyramid's coarser levels.
        var ml = fixture.Ml;
        using var photos = ml.Keypoints.PhotoModel(fixture.Model);
        using var predictor = ml.Keypoints.Photos(fixture.Model);
        string[] frames = SamplePhotos.Frames;

        var rows = Score(ml, photos, frames);

        int coordinates = fixture.Model.Layout.CoordinateCount;
        for (int i = 0; i < frames.Length; i++)
        {
            var expected = predictor.Predict(frames[i]);
            Assert.Equal(expected.Count, (int)rows[i].FaceCount[0]);
            for (int f = 0; f < expected.Count; f++)
            {
                float width = expected[f].Box.Width;
                Assert.Equal(expected[f].Box.Left, rows[i].FaceBoxes[4 * f], 0.05 * width);
                Assert.Equal(expected[f].Box.Top, rows[i].FaceBoxes[(4 * f) + 1], 0.05 * width);
                for (int c = 0; c < coordinates; c++)
                    Assert.Equal(expected[f].Keypoints[c], rows[i].FaceKeypoints[(f * coordinates) + c], 0.08 * width);
            }
        }
    }

    [Fact]
    public void SavedAndLoadedWithPlainMLNet_TheChainGivesTheSameColumns_FromMLNetsOwnTransformers()
    {
        var ml = fixture.Ml;
        using var photos = ml.Keypoints.PhotoModel(fixture.Model, new KeypointPhotoModelOptions { MaxFaces = 4 });
        var folder = Directory.CreateTempSubdirectory("keypoints-photos-");
        try
        {
            string path = Path.Combine(folder.FullName, "photos.zip");
            var input = Paths(ml, Scenes);
            ml.Model.Save(photos, input.Schema, path);

            var loaded = ml.Model.Load(path, out var schema);

            var chain = Assert.IsType<TransformerChain<ITransformer>>(loaded);
            Assert.Contains(chain, t => t is OnnxTransformer);
            Assert.All(chain, t =>
                Assert.StartsWith("Microsoft.ML", t.GetType().Assembly.GetName().Name, StringComparison.Ordinal)
            );
            Assert.Equal("ImagePath", Assert.Single(schema).Name);
            var output = loaded.GetOutputSchema(schema);
            Assert.Equal(
                4,
                Assert.IsType<VectorDataViewType>(output[KeypointPhotoModel.FaceScoresColumnName].Type).Size
            );
            Assert.Equal(
                4 * fixture.Model.Layout.CoordinateCount,
                Assert.IsType<VectorDataViewType>(output[KeypointPhotoModel.FaceKeypointsColumnName].Type).Size
            );
            var engine = ml.Model.CreatePredictionEngine<PhotoRow, PhotoFaces>(loaded);
            var original = Score(ml, photos, Scenes);
            for (int i = 0; i < Scenes.Length; i++)
            {
                var again = engine.Predict(new PhotoRow { ImagePath = Scenes[i] });
                Assert.Equal(original[i].FaceCount, again.FaceCount);
                Assert.Equal(original[i].FaceBoxes, again.FaceBoxes);
                Assert.Equal(original[i].FaceKeypoints, again.FaceKeypoints);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    [Trait("Category", "Integration")] // scores in another process, an app that references ML.NET and ONNX Runtime only
    public void AppWithoutThisLibraryOrTorchSharp_ScoresASavedPhotoModel_WithTheSameFaces()
    {
        var ml = fixture.Ml;
        using var photos = ml.Keypoints.PhotoModel(fixture.Model);
        var folder = Directory.CreateTempSubdirectory("keypoints-photos-app-");
        try
        {
            string path = Path.Combine(folder.FullName, "photos.zip");
            ml.Model.Save(photos, Paths(ml, Scenes).Schema, path);
            string app = ProcessRunner.BuiltAssembly("tests/Keypoints.ScoringOnlyApp", "Keypoints.ScoringOnlyApp");
            Assert.False(
                File.Exists(Path.Combine(Path.GetDirectoryName(app)!, "Keypoints.MLNet.dll")),
                "the scoring-only app must not ship this library"
            );

            var run = ProcessRunner.Run("dotnet", [app, "photos", path, .. Scenes], TimeSpan.FromMinutes(2));

            Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
            string[] lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var expected = Score(ml, photos, Scenes);
            Assert.Equal(Scenes.Length, lines.Length);
            int coordinates = fixture.Model.Layout.CoordinateCount;
            for (int i = 0; i < Scenes.Length; i++)
            {
                string[] parts = lines[i].Split(' ');
                int count = (int)expected[i].FaceCount[0];
                Assert.Equal(count, int.Parse(parts[0], CultureInfo.InvariantCulture));
                float[] keypoints = parts[1]
                    .Split(',')
                    .Select(v => float.Parse(v, CultureInfo.InvariantCulture))
                    .ToArray();
                Assert.Equal(expected[i].FaceKeypoints.Take(count * coordinates), keypoints);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Transform_OverADataViewOfPaths_GivesTheRowsOfAPredictionEngine_Lazily()
    {
        var ml = fixture.Ml;
        using var photos = ml.Keypoints.PhotoModel(fixture.Model);

        var scored = photos.Transform(Paths(ml, Scenes));

        float[][] keypoints = scored
            .GetColumn<VBuffer<float>>(KeypointPhotoModel.FaceKeypointsColumnName)
            .Select(v => v.DenseValues().ToArray())
            .ToArray();
        var expected = Score(ml, photos, Scenes);
        Assert.Equal(expected.Select(e => e.FaceKeypoints), keypoints);
        Assert.Null(scored.Schema.GetColumnOrNull("PhotoPixels"));
    }

    [Fact]
    public void MaxFaces_KeepsTheHighestScoringFaces()
    {
        var ml = fixture.Ml;
        using var all = ml.Keypoints.PhotoModel(fixture.Model);
        using var one = ml.Keypoints.PhotoModel(fixture.Model, new KeypointPhotoModelOptions { MaxFaces = 1 });

        var every = Score(ml, all, Scenes[..1])[0];
        var top = Score(ml, one, Scenes[..1])[0];

        Assert.Equal(1f, top.FaceCount[0]);
        Assert.Equal(every.FaceScores.Max(), top.FaceScores[0], 5);
    }

    [Fact]
    public void Options_OutOfRange_AreRefused()
    {
        var ml = fixture.Ml;
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Keypoints.PhotoModel(fixture.Model, new KeypointPhotoModelOptions { WorkingSize = 300 })
        );
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Keypoints.PhotoModel(fixture.Model, new KeypointPhotoModelOptions { MaxFaces = 0 })
        );
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Keypoints.PhotoModel(fixture.Model, new KeypointPhotoModelOptions { MinScore = 2 })
        );
    }

    internal static IReadOnlyList<PhotoFaces> Score(MLContext ml, ITransformer model, IEnumerable<string> photos)
    {
        var engine = ml.Model.CreatePredictionEngine<PhotoRow, PhotoFaces>(model);
        return [.. photos.Select(p => engine.Predict(new PhotoRow { ImagePath = p }))];
    }

    private static IDataView Paths(MLContext ml, IEnumerable<string> photos) =>
        ml.Data.LoadFromEnumerable(photos.Select(p => new PhotoRow { ImagePath = p }));

    internal sealed class PhotoRow
    {
        public string ImagePath { get; set; } = "";
    }

    internal sealed class PhotoFaces
    {
        public float[] FaceCount { get; set; } = [];

        public float[] FaceScores { get; set; } = [];

        public float[] FaceBoxes { get; set; } = [];

        public float[] FaceKeypoints { get; set; } = [];

        public float[] PhotoSize { get; set; } = [];
    }
}
