using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Keypoints.MLNet;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Photos;
using Keypoints.MLNet.Visualization;
using Microsoft.ML;

namespace Keypoints.Cli.Commands;

/// <summary><c>faces</c>: finds every face in photos and predicts its keypoints with a saved model. With <c>--image</c>
/// it draws the boxes and points on the photo (PNG); with <c>--data</c> it writes one CSV row per face.</summary>
internal sealed class FacesCommand : Command
{
    /// <summary>The columns before the model's coordinate columns in the <c>--data</c> output.</summary>
    public const string LeadingColumns = "image,face,score,left,top,width,height";

    private readonly Option<string> model = ModelArgument.Create(
        "A model saved by train (either kind) or exported",
        defaultName: PretrainedModelsCatalog.Face68Name
    );
    private readonly Option<string?> image = new("--image")
    {
        Description = "Draw every face's box and keypoints on this photo",
        HelpName = "photo.jpg",
    };
    private readonly Option<string?> data = new("--data")
    {
        Description =
            "A CSV whose first column 'image' names photos relative to it (repeated paths are scored once); write one "
            + "row per face to --out",
        HelpName = "images.csv",
    };
    private readonly Option<string> output = new("--out")
    {
        Description = "The PNG (with --image) or CSV (with --data) to write",
        HelpName = "overlay.png|faces.csv",
        Required = true,
    };
    private readonly ImageLimitOptions imageLimits = new(ImageDecodeLimits.Default, "photo");
    private readonly PhotoThreadsOption threads = new("(with --data) ");

    public FacesCommand()
        : base(
            "faces",
            CommandHelp.With(
                "Find every face in photos and predict its keypoints: draw them on one photo (--image) or write a CSV "
                    + "for many (--data); then print the model's terms of use, when it records any (the shipped models "
                    + "are for research use only)",
                "keypoints faces --image photo.jpg --out faces.png",
                "keypoints faces --model mine.zip --data photos.csv --out faces.csv"
            )
        )
    {
        Options.Add(model);
        Options.Add(image);
        Options.Add(data);
        Options.Add(output);
        imageLimits.AddTo(this);
        threads.AddTo(this);
        SetAction(result =>
            Run(
                ModelArgument.Resolve(result.GetRequiredValue(model)),
                result.GetValue(image),
                result.GetValue(data),
                result.GetRequiredValue(output),
                (imageLimits.Read(result), ReadThreads(result))
            )
        );
    }

    private int ReadThreads(ParseResult result) =>
        result.GetValue(image) is not null && threads.IsGiven(result)
            ? throw new UsageException("Option --threads scores the photos of --data; --image is one photo.")
            : threads.Read(result);

    private static int Run(
        string modelPath,
        string? image,
        string? dataPath,
        string output,
        (ImageDecodeLimits Limits, int Threads) photos
    )
    {
        if ((image is null) == (dataPath is null))
            throw new UsageException("faces needs exactly one of --image photo.jpg or --data images.csv.");
        var ml = new MLContext();
        using var keypointModel = ml.Keypoints.LoadModel(modelPath);
        using var faces = ml.Keypoints.Photos(keypointModel, PhotoThreadsOption.OneCoreEach(photos.Limits));
        if (image is null)
            WriteCsv(faces, keypointModel.Layout.CoordinateNames, PhotoCsv.Load(dataPath!), output, photos.Threads);
        else
            WriteOverlay(faces, image, output, photos.Limits);
        ModelTerms.Print(keypointModel.Metadata);
        return 0;
    }

    private static void WriteOverlay(
        FaceKeypointsPredictor faces,
        string image,
        string output,
        ImageDecodeLimits limits
    )
    {
        var found = faces.Predict(image);
        KeypointOverlay.SaveFacesPng(
            image,
            [.. found.Select(f => f.Box)],
            [.. found.Select(f => f.Keypoints)],
            output,
            limits
        );
        Console.WriteLine($"wrote {output}: {Faces(found.Count)} on {image}");
    }

    private static void WriteCsv(
        FaceKeypointsPredictor faces,
        IReadOnlyList<string> coordinateNames,
        PhotoCsv photos,
        string output,
        int threads
    )
    {
        var clock = Stopwatch.StartNew();
        var found = faces.Predict([.. photos.Images.Select(photos.FullPath)], threads);
        double seconds = clock.Elapsed.TotalSeconds;
        var csv = new StringBuilder();
        csv.Append(LeadingColumns).Append(',').AppendJoin(',', coordinateNames).Append('\n');
        for (int p = 0; p < found.Count; p++)
        {
            for (int f = 0; f < found[p].Count; f++)
                AppendRow(csv, photos.Images[p], f, found[p][f]);
        }
        File.WriteAllText(output, csv.ToString());
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"wrote {output}: {Faces(found.Sum(f => f.Count))} in {photos.Images.Count} images, {seconds:F2} s "
                    + $"({photos.Images.Count / seconds:F1} images/s, decode to keypoints, {threads} at once)"
            )
        );
    }

    private static void AppendRow(StringBuilder csv, string photo, int index, PhotoFace face)
    {
        var c = CultureInfo.InvariantCulture;
        csv.Append(photo).Append(',').Append(index.ToString(c)).Append(',').Append(face.Score.ToString("0.####", c));
        foreach (
            float value in new[] { face.Box.Left, face.Box.Top, face.Box.Width, face.Box.Height }.Concat(face.Keypoints)
        )
        {
            csv.Append(',').Append(value.ToString("0.##", c));
        }

        csv.Append('\n');
    }

    /// <summary>"1 face", "2 faces".</summary>
    internal static string Faces(int count) => count == 1 ? "1 face" : $"{count} faces";
}
