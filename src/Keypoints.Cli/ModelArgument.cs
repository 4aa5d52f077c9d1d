using System.CommandLine;
using Keypoints.MLNet;
using Microsoft.ML;

namespace Keypoints.Cli;

/// <summary>What every <c>--model</c> (and <c>train --from</c>) takes: a model file, or the name of a model that ships
/// in
/// <c>Keypoints.MLNet.Models</c> (<c>face68</c>, <c>kaggle15</c>). A file that exists wins over a name.</summary>
internal static class ModelArgument
{
    // One context for the whole process: every command's option asks for the names when the CLI starts.
    private static readonly PretrainedModelsCatalog Pretrained = new MLContext().Keypoints.Pretrained;

    /// <summary>The sentence that every such option's help ends with.</summary>
    public static string Help { get; } =
        $"; or a shipped model: {string.Join(", ", Pretrained.Names)} (an existing file of that name wins)";

    /// <summary>A <c>--model</c> option whose help says that it takes the shipped models' names too.</summary>
    /// <param name="description">What the option takes as a file.</param>
    /// <param name="helpName">The file placeholder of the help, for example <c>model.zip</c>.</param>
    /// <param name="defaultName">A shipped model's name to use when the option is absent; required when null.</param>
    public static Option<string> Create(
        string description,
        string helpName = "model.zip|model.onnx",
        string? defaultName = null
    )
    {
        var option = new Option<string>("--model")
        {
            Description = description + Help,
            HelpName = $"{helpName}|{string.Join('|', Pretrained.Names)}",
            Required = defaultName is null,
        };
        if (defaultName is not null)
            option.DefaultValueFactory = _ => defaultName;
        return option;
    }

    /// <summary>A <c>--model</c> option that, when absent, means the shipped model that fits the command's data
    /// (<see cref="ResolveFittingData"/>).</summary>
    /// <param name="description">What the option takes as a file.</param>
    public static Option<string?> CreateFittingData(string description) =>
        new("--model")
        {
            Description =
                description
                + Help
                + $"; default: {PretrainedModelsCatalog.Kaggle15Name} for a Kaggle CSV, "
                + $"{PretrainedModelsCatalog.Face68Name} for a CSV of image files",
            HelpName = $"model.zip|model.onnx|{string.Join('|', Pretrained.Names)}",
        };

    /// <summary>The model file for <paramref name="value"/> as <see cref="Resolve"/> gives it; when null, the shipped
    /// model that fits <paramref name="dataPath"/>: <c>kaggle15</c> for a Kaggle CSV, <c>face68</c> for a CSV of image
    /// files (and when there is no such file, so that loading the data reports it).</summary>
    public static string ResolveFittingData(string? value, string? dataPath) =>
        Resolve(
            value
                ?? (
                    dataPath is not null
                    && File.Exists(dataPath)
                    && !Keypoints.MLNet.Data.KeypointImageCsv.HasImageHeader(dataPath)
                        ? PretrainedModelsCatalog.Kaggle15Name
                        : PretrainedModelsCatalog.Face68Name
                )
        );

    /// <summary>The model file that <paramref name="value"/> stands for: the file itself when it exists; else the
    /// shipped model of that name (its file in the user's cache); else <paramref name="value"/> unchanged, so that
    /// loading it reports the missing file.</summary>
    /// <exception cref="UsageException">The value is a bare name (no folder, no extension) that is neither a file nor a
    /// shipped model; the message lists the names.</exception>
    public static string Resolve(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        if (File.Exists(value))
            return value;
        if (Pretrained.Names.Contains(value, StringComparer.OrdinalIgnoreCase))
            return Pretrained.FilePath(value);
        if (Path.GetFileName(value) == value && !Path.HasExtension(value))
        {
            throw new UsageException(
                $"Model '{value}' is neither a file nor a shipped model ({string.Join(", ", Pretrained.Names)})."
            );
        }

        return value;
    }
}
