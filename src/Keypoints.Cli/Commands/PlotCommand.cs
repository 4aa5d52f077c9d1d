using System.CommandLine;
using System.Globalization;
using Keypoints.MLNet;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Visualization;

namespace Keypoints.Cli.Commands;

/// <summary><c>plot</c>: draws a saved model's learning curves and first-layer convolution kernels as PNG
/// files.</summary>
internal sealed class PlotCommand : Command
{
    public const string LearningCurvesFileName = "learning-curves.png";
    public const string KernelsFileName = "kernels.png";

    private readonly Option<string> model = ModelArgument.Create(
        "A model saved by train or exported",
        defaultName: PretrainedModelsCatalog.Face68Name
    );
    private readonly Option<string> output = new("--out")
    {
        Description = "The folder to write the PNG files to (created if absent)",
        HelpName = "DIR",
        Required = true,
    };

    public PlotCommand()
        : base(
            "plot",
            CommandHelp.With(
                "Write DIR/learning-curves.png (train loss and validation RMSE per epoch) and DIR/kernels.png (the "
                    + "first "
                    + "convolution layer's kernels; not for the mlp, which has none)",
                "keypoints plot --model mine.zip --out plots"
            )
        )
    {
        Options.Add(model);
        Options.Add(output);
        SetAction(result =>
            Run(ModelArgument.Resolve(result.GetRequiredValue(model)), result.GetRequiredValue(output))
        );
    }

    private static int Run(string modelPath, string output)
    {
        var info = KeypointModelInfo.Load(modelPath);
        Directory.CreateDirectory(output);
        string name = Path.GetFileName(modelPath);

        string curves = Path.Combine(output, LearningCurvesFileName);
        LearningCurvesChart.SavePng(
            info.History,
            string.Create(
                CultureInfo.InvariantCulture,
                $"{name}: {info.History.Count} epochs, {info.LayoutName} ({info.KeypointNames.Count} keypoints)"
            ),
            curves
        );
        Console.WriteLine($"wrote {curves}");

        if (info.FirstLayerKernels is { } kernels)
        {
            string grid = Path.Combine(output, KernelsFileName);
            KernelGrid.SavePng(
                kernels,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{name}: first-layer kernels, {kernels.Count} x {kernels.Height}x{kernels.Width}"
                ),
                grid
            );
            Console.WriteLine($"wrote {grid}");
        }
        else
        {
            Console.WriteLine($"no {KernelsFileName}: the network has no convolution layer");
        }
        return 0;
    }
}
