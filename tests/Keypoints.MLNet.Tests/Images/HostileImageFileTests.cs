using System.Text.RegularExpressions;
using Keypoints.MLNet.Data;
using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Photos;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Tests.Photos;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Tests.Images;

/// <summary>Every file of the hostile corpus (<see cref="HostileImageFiles"/>) through the library's entry points that
/// decode a user's image: each file either scores or is refused with the clear error (an <see
/// cref="InvalidDataException"/> naming the file, or the loader's <see cref="KeypointDataException"/> naming the CSV
/// line and the image), a bomb is refused for its declared size, and a valid picture scores. How long each takes and
/// how much memory: <c>benchmarks/hostile-files/run.sh</c>.</summary>
public sealed partial class HostileImageFileTests(HostileImageFiles corpus)
    : IClassFixture<HostileImageFiles>,
        IDisposable
{
    private readonly MLContext ml = new(seed: 1);
    private readonly KeypointCnnModel model = FixedPointModels.Create(new MLContext(seed: 1), 24, 20);

    public void Dispose() => model.Dispose();

    [Fact]
    public void PhotosPredict_ScoresOrRefusesEveryFile_NamingIt()
    {
        using var faces = ml.Keypoints.Photos(model);

        var failures = corpus.Files.Select(file => Outcome(file, () => faces.Predict(file.Path))).OfType<string>();

        Assert.Empty(failures);
    }

    [Fact]
    public void RgbImageDecode_OfEveryFilesBytes_DecodesOrRefusesIt()
    {
        var failures = corpus.Files.Select(file => Outcome(file, () => RgbImage.Decode(file.Bytes), "The data"));

        Assert.Empty(failures.OfType<string>());
    }

    [Fact]
    public void LoadImageCsv_LoadsOrRefusesEveryFile_NamingTheCsvLineAndTheImage()
    {
        var failures = new List<string>();
        foreach (var file in corpus.Files)
        {
            string csv = Path.Combine(corpus.Folder, file.Name + ".csv");
            File.WriteAllText(csv, $"image,x0,y0\n{file.Name},0,0\n");
            try
            {
                _ = ml.Data.Keypoints.LoadImageCsv(csv);
                if (file.Expected == HostileImageFiles.Kind.Bomb)
                    failures.Add($"{file}: loaded");
            }
            catch (KeypointDataException e)
            {
                string? problem = e.Message.Contains(".csv line 2, column 1 (image): ", StringComparison.Ordinal)
                    ? Problem(file, e.InnerException as InvalidDataException ?? new InvalidDataException(e.Message))
                    : $"{file}: {e.Message}";
                if (problem is not null)
                    failures.Add(problem);
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void ImageFileModelChain_SavedAndLoaded_ScoresOrRefusesEveryFile_BeforeMLNetsLoaderSeesIt()
    {
        var paths = ml.Data.LoadFromEnumerable(new[] { new PhotoRow() });
        var featurizer = ImageFeaturizer.Create(ml, "ImagePath", "Pixels", 32, 32, channels: 1).Fit(paths);
        string zip = Path.Combine(corpus.Folder, "featurizer.zip");
        ml.Model.Save(featurizer, paths.Schema, zip);
        var loaded = ml.Model.Load(zip, out _);

        var failures = corpus.Files.Select(file =>
            Outcome(file, () =>
                WrappedDataError.Unwrap(() =>
                    loaded
                        .Transform(ml.Data.LoadFromEnumerable(new[] { new PhotoRow { ImagePath = file.Path } }))
                        .GetColumn<VBuffer<float>>("Pixels")
                        .Single()
                )
            )
        );

        Assert.Empty(failures.OfType<string>());
    }

    [Fact]
    public void PhotoModel_InThisProcess_RefusesEveryFileThatDoesNotDecode_BeforeMLNetsLoaderSeesIt()
    {
        using var photos = ml.Keypoints.PhotoModel(model, new KeypointPhotoModelOptions { MaxFaces = 2 });
        using var engine = ml.Keypoints.CreatePredictionEngine<PhotoRow, PhotoFaces>(photos);
        // The chain's ONNX graph is the slow part (a tenth of a second a photo), so the mutations are sampled.
        var files = corpus.Files.Where(
            (f, i) => !f.Name.StartsWith("mutated-", StringComparison.Ordinal) || i % 10 == 0
        );

        var failures = files.Select(file =>
            Outcome(file, () => WrappedDataError.Unwrap(() => engine.Predict(new PhotoRow { ImagePath = file.Path })))
        );

        Assert.Empty(failures.OfType<string>());
    }

    [Fact]
    public void PhotoModel_SavedAndLoaded_DecodesWhatTheInProcessLimitsRefused()
    {
        string photo = corpus["valid.jpg"].Path;
        var limits = new ImageDecodeLimits { MaxImageSide = 511 };
        using var photos = ml.Keypoints.PhotoModel(model, new KeypointPhotoModelOptions { ImageLimits = limits });
        using var engine = ml.Keypoints.CreatePredictionEngine<PhotoRow, PhotoFaces>(photos);
        string zip = Path.Combine(corpus.Folder, "photos.zip");
        ml.Model.Save(photos, ml.Data.LoadFromEnumerable(new[] { new PhotoRow() }).Schema, zip);
        var loaded = new MLContext().Model.Load(zip, out _);

        var refused = Assert.Throws<InvalidDataException>(() =>
            WrappedDataError.Unwrap(() => engine.Predict(new PhotoRow { ImagePath = photo }))
        );
        var scored = ml
            .Model.CreatePredictionEngine<PhotoRow, PhotoFaces>(loaded)
            .Predict(new PhotoRow { ImagePath = photo });

        Assert.Contains("sides up to 511 pixels", refused.Message, StringComparison.Ordinal);
        Assert.Equal([512f, 512f], scored.PhotoSize);
    }

    /// <summary>Null when <paramref name="run"/> gives what <paramref name="file"/> must give, else what went
    /// wrong.</summary>
    private static string? Outcome(HostileImageFiles.Entry file, Action run, string? source = null)
    {
        try
        {
            run();
            return file.Expected == HostileImageFiles.Kind.Bomb ? $"{file}: scored" : null;
        }
        catch (InvalidDataException e)
        {
            return Problem(file, e, source);
        }
        catch (Exception e)
        {
            return $"{file}: unexpected {e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>Null when <paramref name="error"/> is the clear refusal of <paramref name="file"/>, else what is
    /// wrong with it.</summary>
    private static string? Problem(HostileImageFiles.Entry file, InvalidDataException error, string? source = null)
    {
        string expectedSource = source ?? $"Image file '{file.Path}'";
        if (file.Expected == HostileImageFiles.Kind.Valid)
            return $"{file}: refused: {error.Message}";
        if (!error.Message.Contains(expectedSource, StringComparison.Ordinal))
            return $"{file}: the message does not name it: {error.Message}";
        if (file.Expected == HostileImageFiles.Kind.Bomb && !error.Message.Contains(DeclaredSize(file.Name)))
            return $"{file}: not refused for its size: {error.Message}";
        return null;
    }

    /// <summary>"declares 20000 x 20000 pixels" for <c>bomb-20000x20000.png</c>.</summary>
    private static string DeclaredSize(string name)
    {
        var match = BombName().Match(name);
        return $"declares {match.Groups[1].Value} x {match.Groups[2].Value} pixels";
    }

    [GeneratedRegex(@"^bomb-(\d+)x(\d+)\.")]
    private static partial Regex BombName();

    private sealed class PhotoRow
    {
        public string ImagePath { get; set; } = "";
    }

    private sealed class PhotoFaces
    {
        public float[] FaceCount { get; set; } = [];

        public float[] PhotoSize { get; set; } = [];
    }
}
