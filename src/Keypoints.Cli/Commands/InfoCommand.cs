using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Keypoints.MLNet;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Scoring;

namespace Keypoints.Cli.Commands;

/// <summary><c>info</c>: prints what a saved model records about itself as one JSON object (<see
/// cref="ModelDescription"/>).</summary>
/// <remarks>Everything comes from the model's metadata record (<see cref="KeypointModelInfo.Metadata"/>).</remarks>
internal sealed class InfoCommand : Command
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly Option<string> model = ModelArgument.Create(
        "A model saved by train or exported",
        defaultName: PretrainedModelsCatalog.Face68Name
    );

    public InfoCommand()
        : base(
            "info",
            CommandHelp.With(
                "Print the model's metadata (layout, flip pairs, groups, input, test-time flip, flip axis, history, "
                    + "the terms of use of its training data) as one JSON object",
                "keypoints info",
                "keypoints info --model mine.zip"
            )
        )
    {
        Options.Add(model);
        SetAction(result => Run(ModelArgument.Resolve(result.GetRequiredValue(model))));
    }

    private static int Run(string modelPath)
    {
        Console.WriteLine(JsonSerializer.Serialize(Describe(modelPath), Json));
        return 0;
    }

    /// <summary>What <c>keypoints info</c> prints, in the order printed. Lengths in pixels of the network's input
    /// frame.</summary>
    /// <param name="Layout">The keypoint layout's name, for example <c>Kaggle15</c>.</param>
    /// <param name="Keypoints">Keypoint names in output order (outputs <c>2i</c>, <c>2i+1</c> are keypoint <c>i</c>'s
    /// x, y).</param>
    /// <param name="FlipPairs">Left and right keypoint names that swap when the face is mirrored.</param>
    /// <param name="Groups">Named keypoint groups (the specialists' groups).</param>
    /// <param name="InputWidth">Width in pixels of the network's input.</param>
    /// <param name="InputHeight">Height in pixels of the network's input.</param>
    /// <param name="Channels">1 for grey, 3 for color.</param>
    /// <param name="Framing">How the training faces were framed; null where the model does not record it.</param>
    /// <param name="TestTimeFlip">Whether the graph averages each prediction with that of the mirrored face.</param>
    /// <param name="FlipAxisOffset">Pixels between the labels' mirror axis and the image's center line.</param>
    /// <param name="Networks">The networks in the graph: the base network, then any specialists.</param>
    /// <param name="Epochs">Epochs the base network trained.</param>
    /// <param name="BestValidationRmse">The lowest validation RMSE of the base network's epochs, in pixels; null
    /// without validation.</param>
    /// <param name="Terms">The terms of use the model inherits from its training data; null where it records
    /// none.</param>
    /// <param name="LibraryVersion">The version of Keypoints.MLNet that wrote the model.</param>
    internal sealed record ModelDescription(
        string Layout,
        IReadOnlyList<string> Keypoints,
        IReadOnlyList<string[]> FlipPairs,
        IReadOnlyList<GroupDescription> Groups,
        int InputWidth,
        int InputHeight,
        int Channels,
        FaceFraming? Framing,
        bool TestTimeFlip,
        double FlipAxisOffset,
        IReadOnlyList<string> Networks,
        int Epochs,
        double? BestValidationRmse,
        string? Terms,
        string LibraryVersion
    );

    /// <summary>A keypoint group by name, with its keypoints' names.</summary>
    internal sealed record GroupDescription(string Name, IReadOnlyList<string> Keypoints);

    private static ModelDescription Describe(string path)
    {
        var metadata = KeypointModelInfo.Load(path).Metadata;
        var layout = metadata.Layout;
        var names = layout.KeypointNames;
        var validated = metadata.History.Where(h => !double.IsNaN(h.ValidationRmse)).ToArray();
        return new ModelDescription(
            layout.Name,
            names,
            layout.FlipPairs.Select(p => new[] { names[p.Left], names[p.Right] }).ToArray(),
            layout
                .Groups.Select(g => new GroupDescription(g.Name, g.KeypointIndices.Select(i => names[i]).ToArray()))
                .ToArray(),
            layout.ImageWidth,
            layout.ImageHeight,
            metadata.Channels,
            metadata.Framing,
            metadata.TestTimeFlip,
            metadata.FlipAxisOffset,
            metadata.Networks,
            metadata.History.Count,
            validated.Length == 0 ? null : validated.Min(h => h.ValidationRmse),
            metadata.Terms,
            metadata.LibraryVersion
        );
    }
}
