using System.CommandLine;
using Keypoints.MLNet;
using Keypoints.MLNet.Photos;
using Microsoft.ML;

namespace Keypoints.Cli.Commands;

/// <summary><c>photo-model</c>: saves the ML.NET model that finds every face's keypoints in photos
/// (<see cref="KeypointPhotoModel"/>), for an application that scores it with ML.NET and ONNX Runtime alone.</summary>
internal sealed class PhotoModelCommand : Command
{
    private readonly Option<string> model = ModelArgument.Create(
        "A model saved by train (either kind) or exported",
        defaultName: PretrainedModelsCatalog.Face68Name
    );
    private readonly Option<string> output = new("--out")
    {
        Description = "The ML.NET model zip to write",
        HelpName = "photos.zip",
        Required = true,
    };
    private readonly Option<int> maxFaces = new("--max-faces")
    {
        Description = "Faces each output column holds, highest scores first",
        DefaultValueFactory = _ => new KeypointPhotoModelOptions().MaxFaces,
    };
    private readonly Option<int> workingSize = new("--working-size")
    {
        Description =
            "Side in pixels of the square each photo is fitted into before detection (a multiple of 8, at least 256)",
        DefaultValueFactory = _ => new KeypointPhotoModelOptions().WorkingSize,
    };

    public PhotoModelCommand()
        : base(
            "photo-model",
            CommandHelp.With(
                "Save an ML.NET model from image paths to every face's score, box and keypoints in photo pixels; apps "
                    + "score it with ML.NET and ONNX Runtime only",
                "keypoints photo-model --out photos.zip",
                "keypoints photo-model --model mine.zip --out photos.zip"
            )
        )
    {
        Options.Add(model);
        Options.Add(output);
        Options.Add(maxFaces);
        Options.Add(workingSize);
        SetAction(result =>
            Run(
                ModelArgument.Resolve(result.GetRequiredValue(model)),
                result.GetRequiredValue(output),
                result.GetValue(maxFaces),
                result.GetValue(workingSize)
            )
        );
    }

    private static int Run(string modelPath, string output, int maxFaces, int workingSize)
    {
        var ml = new MLContext();
        using var keypointModel = ml.Keypoints.LoadModel(modelPath);
        var options = new KeypointPhotoModelOptions { MaxFaces = maxFaces, WorkingSize = workingSize };
        KeypointPhotoModel photos;
        try
        {
            photos = ml.Keypoints.PhotoModel(keypointModel, options);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageException(e.Message);
        }
        using (photos)
        {
            var paths = ml.Data.LoadFromEnumerable(Array.Empty<PhotoPath>());
            ml.Model.Save(photos, paths.Schema, output);
        }
        Console.WriteLine(
            $"wrote {output}: input column '{options.ImagePathColumnName}' (image file paths); output columns "
                + $"{KeypointPhotoModel.FaceCountColumnName} (1), {KeypointPhotoModel.FaceScoresColumnName} "
                + $"({maxFaces}), "
                + $"{KeypointPhotoModel.FaceBoxesColumnName} ({4 * maxFaces}), "
                + $"{KeypointPhotoModel.FaceKeypointsColumnName} "
                + $"({keypointModel.Layout.CoordinateCount * maxFaces}), {KeypointPhotoModel.PhotoSizeColumnName} (2)"
        );
        return 0;
    }

    private sealed class PhotoPath
    {
        public string ImagePath { get; set; } = "";
    }
}
