using System.CommandLine;
using System.Globalization;
using Keypoints.MLNet;
using Keypoints.MLNet.Onnx;
using Microsoft.ML;

namespace Keypoints.Cli.Commands;

/// <summary><c>export</c>: writes a saved model's standalone ONNX keypoint graph (the metadata record inside), with its
/// large weights stored as float32, float16 or int8 (<see cref="OnnxWeightFormat"/>); the shipped pretrained models are
/// made with it.</summary>
internal sealed class ExportCommand : Command
{
    private static readonly Dictionary<string, OnnxWeightFormat> Formats = new(StringComparer.Ordinal)
    {
        ["float32"] = OnnxWeightFormat.Float32,
        ["float16"] = OnnxWeightFormat.Float16,
        ["int8"] = OnnxWeightFormat.Int8,
    };

    private readonly Option<string> model = ModelArgument.Create(
        "A model saved by train or exported",
        defaultName: PretrainedModelsCatalog.Face68Name
    );
    private readonly Option<string> output = new("--out")
    {
        Description = "The .onnx file to write",
        HelpName = "model.onnx",
        Required = true,
    };
    private readonly Option<string> weights = new("--weights")
    {
        Description =
            "How to store the convolution kernels and fully connected matrices: float32 as trained, float16 (half the "
            + "file) or int8 with a scale per output channel (a quarter); biases and batch-norm parameters stay "
            + "float32, and every "
            + "format scores in float32 at the same speed (README, \"Weight formats\", measures what each costs in "
            + "accuracy)",
        HelpName = "float32|float16|int8",
        DefaultValueFactory = _ => "float32",
    };

    private readonly Option<string> terms = new("--terms")
    {
        Description =
            "Record these terms of use of the training data in the written graph, replacing the model's (info prints "
            + "them) [default: the model's own]",
        HelpName = "TEXT",
    };

    public ExportCommand()
        : base(
            "export",
            CommandHelp.With(
                "Write the model's standalone ONNX graph (pixels in, pixel coordinates out, the metadata record "
                    + "inside), "
                    + "with float32, float16 or int8 weights; it loads back with every command's --model and scores "
                    + "in any ONNX runtime",
                "keypoints export --model mine.zip --out mine.onnx",
                "keypoints export --model mine.zip --out mine-int8.onnx --weights int8"
            )
        )
    {
        weights.AcceptOnlyFromAmong([.. Formats.Keys]);
        Options.Add(model);
        Options.Add(output);
        Options.Add(weights);
        Options.Add(terms);
        SetAction(result =>
            Run(
                result.GetRequiredValue(model),
                result.GetRequiredValue(output),
                Formats[result.GetRequiredValue(weights)],
                result.GetValue(terms)
            )
        );
    }

    private static int Run(string modelPath, string outputPath, OnnxWeightFormat format, string? terms)
    {
        var ml = new MLContext();
        using var loaded = ml.Keypoints.LoadModel(ModelArgument.Resolve(modelPath));
        using var stamped = terms is null ? null : loaded.WithTerms(terms);
        (stamped ?? loaded).ExportOnnx(outputPath, format);
        long bytes = new FileInfo(outputPath).Length;
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"wrote {outputPath}: {bytes} bytes ({bytes / 1e6:F1} MB), {format.ToString().ToLowerInvariant()} "
                    + $"weights"
            )
        );
        return 0;
    }
}
