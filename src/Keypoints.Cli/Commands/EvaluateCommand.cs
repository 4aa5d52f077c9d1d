using System.CommandLine;
using System.Drawing;
using System.Globalization;
using Keypoints.MLNet;
using Keypoints.MLNet.Evaluation;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Photos;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Visualization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.Cli.Commands;

/// <summary><c>evaluate</c>: scores a labelled CSV (Kaggle or image files) with a saved model and prints RMSE, NME and
/// per-keypoint errors; with <c>--sheet DIR</c> (image files) it also draws the best and worst 16 faces. With
/// <c>--faces</c> it detects every face of labelled photos and prints how many were found and their NME
/// (<c>--sheet</c>: the misses, false detections and worst faces).</summary>
internal sealed class EvaluateCommand : Command
{
    public const string BestSheetFileName = "best.png";
    public const string WorstSheetFileName = "worst.png";
    public const string MissedSheetFileName = "missed.png";
    public const string FalseSheetFileName = "false.png";
    private const int MaxSheetFaces = 16;

    private readonly Option<string?> model = ModelArgument.CreateFittingData("A model saved by train or exported");
    private readonly Option<string> data = new("--data")
    {
        Description = "A labelled CSV, Kaggle layout or image files",
        HelpName = "validation.csv",
        Required = true,
    };
    private readonly Option<string?> sheet = new("--sheet")
    {
        Description =
            "(image files) Write DIR/best.png and DIR/worst.png: the best and worst 16 faces by RMSE, predicted "
            + "points red, true points green; "
            + "(with --faces) DIR/missed.png, DIR/false.png and DIR/worst.png: missed faces, false detections and the "
            + "worst 16 found faces, each cut out of its photo",
        HelpName = "DIR",
    };
    private readonly Option<bool> faces = new("--faces")
    {
        Description =
            "The CSV names photos (rows with the same image are its labelled faces): detect every face, match "
            + "detections by eye midpoint, print faces, found, recall, false detections and NME",
    };

    private readonly Option<bool> photoModel = new("--photo-model")
    {
        Description =
            "(with --faces) Score through the ML.NET photo model that photo-model saves (one ONNX graph in ML.NET's "
            + "own transformers) instead of the C# pipeline of faces",
    };
    private readonly Option<bool> noTestTimeFlip = new("--no-tta")
    {
        Description =
            "Score each face once, without the model's test-time flip (the average with the mirrored face's "
            + "prediction), to measure what the flip gives",
    };
    private readonly ImageLimitOptions imageLimits = new(ImageDecodeLimits.Default, "photo (with --faces)");
    private readonly PhotoThreadsOption threads = new("(with --faces, not --photo-model) ");

    public EvaluateCommand()
        : base(
            "evaluate",
            CommandHelp.With(
                "Score a labelled CSV with a model; print the RMSE in pixels and the NME (the error over the distance "
                    + "between "
                    + "the eye centres), then every keypoint's error",
                "keypoints evaluate --data validation.csv",
                "keypoints evaluate --model mine.zip --data faces.csv --sheet sheets",
                "keypoints evaluate --data photos.csv --faces"
            )
        )
    {
        Options.Add(model);
        Options.Add(data);
        Options.Add(sheet);
        Options.Add(faces);
        Options.Add(photoModel);
        Options.Add(noTestTimeFlip);
        imageLimits.AddTo(this);
        threads.AddTo(this);
        SetAction(result =>
            result.GetValue(faces)
                ? RunFaces(
                    ModelArgument.Resolve(result.GetValue(model) ?? PretrainedModelsCatalog.Face68Name),
                    result.GetRequiredValue(data),
                    result.GetValue(sheet),
                    PredictorThreads(result),
                    imageLimits.Read(result),
                    result.GetValue(noTestTimeFlip)
                )
            : result.GetValue(photoModel)
                ? throw new UsageException("Option --photo-model scores photos; it needs --faces.")
            : imageLimits.IsGiven(result)
                ? throw new UsageException("Options --max-side and --max-megapixels limit photos; they need --faces.")
            : threads.IsGiven(result) ? throw new UsageException("Option --threads scores photos; it needs --faces.")
            : Run(
                ModelArgument.ResolveFittingData(result.GetValue(model), result.GetRequiredValue(data)),
                result.GetRequiredValue(data),
                result.GetValue(sheet),
                result.GetValue(noTestTimeFlip)
            )
        );
    }

    /// <summary>The photos the C# pipeline scores at once; null for the photo-model chain.</summary>
    private int? PredictorThreads(ParseResult result) =>
        !result.GetValue(photoModel) ? threads.Read(result)
        : threads.IsGiven(result)
            ? throw new UsageException("Option --threads sets the C# pipeline's photos at once, not --photo-model's.")
        : null;

    private static int RunFaces(
        string modelPath,
        string dataPath,
        string? sheets,
        int? threads,
        ImageDecodeLimits limits,
        bool withoutFlip
    )
    {
        var ml = new MLContext();
        using var keypointModel = Load(ml, modelPath, withoutFlip);
        var photos = PhotoCsv.Load(dataPath);
        photos.RequireLayout(keypointModel.Layout, dataPath);
        var scored = threads is { } count
            ? ScoreThroughPredictor(ml, keypointModel, photos, (limits, count))
            : ScoreThroughPhotoModel(ml, keypointModel, photos, limits);
        var metrics = PhotoFaceEvaluation.EvaluateKeypoints(keypointModel.Layout, scored);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"faces {metrics.Faces}"));
        Console.WriteLine(string.Create(c, $"found {metrics.Found}"));
        Console.WriteLine(string.Create(c, $"recall {metrics.Recall:F4}"));
        Console.WriteLine(string.Create(c, $"false {metrics.FalseDetections}"));
        Console.WriteLine(double.IsNaN(metrics.Nme) ? "NME undefined" : string.Create(c, $"NME {metrics.Nme:F4}"));
        PrintCornerNme(metrics.NmeOuterEyeCorners);
        if (sheets is not null)
            WriteFaceSheets(sheets, Path.GetFileName(dataPath), photos, scored, metrics, limits);
        return 0;
    }

    /// <summary>Prints the NME over the outer eye corners' distance (the 300-W papers' normalization), when the layout
    /// has outer eye corners.</summary>
    private static void PrintCornerNme(double nme)
    {
        if (!double.IsNaN(nme))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"corner NME {nme:F4} (outer eye corners)"));
    }

    /// <summary>Draws the missed faces, the false detections and the worst found faces, each cut out of its
    /// photo.</summary>
    private static void WriteFaceSheets(
        string folder,
        string name,
        PhotoCsv photos,
        List<(IReadOnlyList<float[]> Labels, IReadOnlyList<IReadOnlyList<float>> Predicted)> scored,
        PhotoFaceMetrics metrics,
        ImageDecodeLimits limits
    )
    {
        var c = CultureInfo.InvariantCulture;
        ContactSheetFace Face(PhotoFaceOutcome o)
        {
            string image = photos.Images[o.Photo];
            var (labels, predicted) = scored[o.Photo];
            float[]? truth = o.Label >= 0 ? labels[o.Label] : null;
            float[] points = o.Predicted >= 0 ? predicted[o.Predicted].ToArray() : [];
            string caption =
                o.IsMissed ? "missed"
                : o.IsFalseDetection ? "false detection"
                : string.Create(c, $"NME {o.Nme:F3}");
            return new ContactSheetFace(
                photos.FullPath(image),
                points,
                truth,
                $"{caption} {Path.GetFileNameWithoutExtension(image)}",
                RegionAround(truth ?? points)
            );
        }
        var sheets = new (string File, string Title, IEnumerable<PhotoFaceOutcome> Faces)[]
        {
            (
                MissedSheetFileName,
                $"{name}: labelled faces no detection matched (green true points)",
                metrics.Outcomes.Where(o => o.IsMissed)
            ),
            (
                FalseSheetFileName,
                $"{name}: detections that matched no labelled face (red predicted points)",
                metrics.Outcomes.Where(o => o.IsFalseDetection)
            ),
            (
                WorstSheetFileName,
                $"{name}: worst found faces by NME (red predicted, green true)",
                metrics.Outcomes.Where(o => !o.IsMissed && !o.IsFalseDetection).OrderByDescending(o => o.Nme)
            ),
        };
        foreach (var (file, title, faces) in sheets)
        {
            var shown = faces.Take(MaxSheetFaces).Select(Face).ToArray();
            string path = Path.Combine(folder, file);
            ContactSheet.SavePng(shown, title, path, limits: limits);
            Console.WriteLine($"wrote {path}: {shown.Length} faces");
        }
    }

    /// <summary>A square around the points, a quarter wider on each side, in whole pixels.</summary>
    private static RectangleF RegionAround(float[] points)
    {
        float[] xs = points.Where((v, i) => i % 2 == 0 && !float.IsNaN(v)).DefaultIfEmpty(0).ToArray();
        float[] ys = points.Where((v, i) => i % 2 == 1 && !float.IsNaN(v)).DefaultIfEmpty(0).ToArray();
        float centreX = (xs.Min() + xs.Max()) / 2,
            centreY = (ys.Min() + ys.Max()) / 2;
        float side = MathF.Ceiling(1.5f * Math.Max(Math.Max(xs.Max() - xs.Min(), ys.Max() - ys.Min()), 8));
        return new RectangleF(MathF.Round(centreX - (side / 2)), MathF.Round(centreY - (side / 2)), side, side);
    }

    private static List<(
        IReadOnlyList<float[]> Labels,
        IReadOnlyList<IReadOnlyList<float>> Predicted
    )> ScoreThroughPredictor(
        MLContext ml,
        IKeypointModel keypointModel,
        PhotoCsv photos,
        (ImageDecodeLimits Limits, int Threads) scoring
    )
    {
        using var predictor = ml.Keypoints.Photos(keypointModel, PhotoThreadsOption.OneCoreEach(scoring.Limits));
        var found = predictor.Predict([.. photos.Images.Select(photos.FullPath)], scoring.Threads);
        return
        [
            .. photos.Images.Select(
                (image, p) =>
                    (
                        (IReadOnlyList<float[]>)photos.Labels[image],
                        (IReadOnlyList<IReadOnlyList<float>>)[.. found[p].Select(f => f.Keypoints)]
                    )
            ),
        ];
    }

    private static List<(
        IReadOnlyList<float[]> Labels,
        IReadOnlyList<IReadOnlyList<float>> Predicted
    )> ScoreThroughPhotoModel(MLContext ml, IKeypointModel keypointModel, PhotoCsv photos, ImageDecodeLimits limits)
    {
        using var photoModel = ml.Keypoints.PhotoModel(
            keypointModel,
            new KeypointPhotoModelOptions { ImageLimits = limits }
        );
        using var engine = ml.Keypoints.CreatePredictionEngine<PhotoPath, PhotoFaceColumns>(photoModel);
        int coordinates = keypointModel.Layout.CoordinateCount;
        var scored = new List<(IReadOnlyList<float[]>, IReadOnlyList<IReadOnlyList<float>>)>();
        foreach (string image in photos.Images)
        {
            var row = engine.Predict(new PhotoPath { ImagePath = photos.FullPath(image) });
            var faces = Enumerable
                .Range(0, (int)row.FaceCount[0])
                .Select(f => (IReadOnlyList<float>)row.FaceKeypoints.AsSpan(f * coordinates, coordinates).ToArray())
                .ToArray();
            scored.Add((photos.Labels[image], faces));
        }
        return scored;
    }

    /// <summary>Loads the model, without its test-time flip when <paramref name="withoutFlip"/> says so.</summary>
    private static IKeypointModel Load(MLContext ml, string modelPath, bool withoutFlip)
    {
        var loaded = ml.Keypoints.LoadModel(modelPath);
        if (!withoutFlip || !loaded.Metadata.TestTimeFlip)
            return loaded;
        using (loaded)
            return loaded.WithTestTimeFlip(false);
    }

    private static int Run(string modelPath, string dataPath, string? sheets, bool withoutFlip)
    {
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);

        var ml = new MLContext();
        var file = KeypointDataFile.Load(ml, dataPath);
        if (sheets is not null && !file.IsImageFiles)
            throw new UsageException("Option --sheet needs a CSV of image files (first column 'image').");
        using var model = Load(ml, modelPath, withoutFlip);
        ModelKind.RequireMatch(model, file, modelPath, dataPath);
        var scored = model.Transform(file.Data);
        var metrics = ml.Keypoints.Evaluate(scored, file.Layout);
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"RMSE {metrics.Rmse:F4}"));
        Console.WriteLine(double.IsNaN(metrics.Nme) ? "NME undefined" : string.Create(c, $"NME {metrics.Nme:F4}"));
        Console.WriteLine($"normalization: {metrics.NmeNormalization}");
        PrintCornerNme(metrics.NmeOuterEyeCorners);
        Console.WriteLine(string.Create(c, $"{"keypoint", -26} {"RMSE px", 8} {"mean px", 8} {"count", 6}"));
        foreach (var k in metrics.PerKeypoint)
            Console.WriteLine(string.Create(c, $"{k.Name, -26} {k.Rmse, 8:F3} {k.MeanDistance, 8:F3} {k.Count, 6}"));
        if (sheets is not null)
        {
            float[][] predicted = scored
                .GetColumn<VBuffer<float>>("PredictedKeypoints")
                .Select(v => v.DenseValues().ToArray())
                .ToArray();
            float[][] truth = scored
                .GetColumn<VBuffer<float>>("Keypoints")
                .Select(v => v.DenseValues().ToArray())
                .ToArray();
            var paths = file.ImagePaths!;
            ContactSheetFace Face(RowError row) =>
                new(
                    paths[(int)row.RowIndex],
                    predicted[row.RowIndex],
                    truth[row.RowIndex],
                    string.Create(
                        c,
                        $"#{row.RowIndex} {row.Rmse:F2} px {Path.GetFileNameWithoutExtension(paths[(int)row.RowIndex])}"
                    )
                );
            string name = Path.GetFileName(dataPath);
            string best = Path.Combine(sheets, BestSheetFileName);
            ContactSheet.SavePng(
                metrics.Best.Select(Face).ToArray(),
                $"{name}: best {metrics.Best.Count} faces by RMSE (red predicted, green true)",
                best
            );
            string worst = Path.Combine(sheets, WorstSheetFileName);
            ContactSheet.SavePng(
                metrics.Worst.Select(Face).ToArray(),
                $"{name}: worst {metrics.Worst.Count} faces by RMSE (red predicted, green true)",
                worst
            );
            Console.WriteLine($"wrote {best} and {worst}");
        }
        return 0;
    }

    private sealed class PhotoPath
    {
        public string ImagePath { get; set; } = "";
    }

    private sealed class PhotoFaceColumns
    {
        public float[] FaceCount { get; set; } = [];

        public float[] FaceKeypoints { get; set; } = [];
    }
}
