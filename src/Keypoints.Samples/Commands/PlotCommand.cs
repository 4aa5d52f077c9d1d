using System.Globalization;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Visualization;

namespace Keypoints.Samples.Commands;

/// <summary><c>plot</c>: draws a saved model's learning curves and first-layer convolution kernels as PNG files.</summary>
internal static class PlotCommand
{
    public const string LearningCurvesFileName = "learning-curves.png";
    public const string KernelsFileName = "kernels.png";

    public static int Run(CommandLine options)
    {
        var modelPath = options.RequiredString("model");
        var output = options.RequiredString("out");
        options.RejectUnknown();

        var info = KeypointModelInfo.Load(modelPath);
        Directory.CreateDirectory(output);
        var name = Path.GetFileName(modelPath);

        var curves = Path.Combine(output, LearningCurvesFileName);
        LearningCurvesChart.SavePng(info.History, string.Create(CultureInfo.InvariantCulture,
            $"{name}: {info.History.Count} epochs, {info.LayoutName} ({info.KeypointNames.Count} keypoints)"), curves);
        Console.WriteLine($"wrote {curves}");

        if (info.FirstLayerKernels is { } kernels)
        {
            var grid = Path.Combine(output, KernelsFileName);
            KernelGrid.SavePng(kernels, string.Create(CultureInfo.InvariantCulture,
                $"{name}: first-layer kernels, {kernels.Count} x {kernels.Height}x{kernels.Width}"), grid);
            Console.WriteLine($"wrote {grid}");
        }
        else
        {
            Console.WriteLine($"no {KernelsFileName}: the network has no convolution layer");
        }
        return 0;
    }
}
