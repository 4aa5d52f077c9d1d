using Keypoints.MLNet.Export;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Training;

namespace Keypoints.MLNet.Scoring;

/// <summary>
/// What a saved keypoint model records about itself, read without ONNX Runtime or TorchSharp: a view over its
/// <see cref="KeypointModelMetadata"/> record (layout, input, framing, histories, ...) plus the first convolution
/// layer's kernels (for plots and reports). To score, load the model with <c>mlContext.Keypoints.LoadModel</c> instead.
/// </summary>
public sealed class KeypointModelInfo
{
    private KeypointModelInfo(KeypointModelMetadata metadata, ConvolutionKernels? firstLayerKernels)
    {
        Metadata = metadata;
        FirstLayerKernels = firstLayerKernels;
    }

    /// <summary>The model's metadata record.</summary>
    public KeypointModelMetadata Metadata { get; }

    /// <summary>The name of the keypoint layout the model predicts, for example <c>Kaggle15</c>.</summary>
    public string LayoutName => Metadata.Layout.Name;

    /// <summary>The keypoint names in output order; output <c>2i</c> is keypoint <c>i</c>'s x and <c>2i+1</c> its
    /// y.</summary>
    public IReadOnlyList<string> KeypointNames => Metadata.Layout.KeypointNames;

    /// <summary>Width in pixels of the images the network takes, and of the coordinate frame of its
    /// predictions.</summary>
    public int ImageWidth => Metadata.Layout.ImageWidth;

    /// <summary>Height in pixels of the images the network takes, and of the coordinate frame of its
    /// predictions.</summary>
    public int ImageHeight => Metadata.Layout.ImageHeight;

    /// <summary>The (base network's) training history, one report per epoch trained, in order.</summary>
    public IReadOnlyList<EpochReport> History => Metadata.History;

    /// <summary>The kernels of the first <c>Conv</c> node in graph order; null for a network without convolutions (the
    /// MLP).</summary>
    public ConvolutionKernels? FirstLayerKernels { get; }

    /// <summary>Reads a model zip saved by <c>mlContext.Model.Save</c>, or a bare <c>.onnx</c> file written by
    /// <see cref="KeypointCnnModel.ExportOnnx(string)"/>.</summary>
    /// <param name="path">The model file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file holds no keypoint model, or one this version cannot read (a
    /// 0.1.0 model); the message names the file.</exception>
    public static KeypointModelInfo Load(string path)
    {
        var file = KeypointModelFile.Read(path);
        return new KeypointModelInfo(file.Metadata, FirstConvolution(path, file.Reader));
    }

    private static ConvolutionKernels? FirstConvolution(string path, OnnxModelReader model)
    {
        var conv = model.Nodes.FirstOrDefault(n => n.OpType == "Conv");
        if (conv.OpType is null)
            return null;
        if (conv.Inputs.Count < 2)
            throw new InvalidDataException($"'{path}': the first Conv node has no weight input.");
        var (dims, values) = model.ReadFloatConstant(conv.Inputs[1])
            ?? throw new InvalidDataException(
                $"'{path}': the first Conv node's weight '{conv.Inputs[1]}' is neither an initializer nor a "
                    + $"compressed weight."
            );
        if (dims.Length != 4)
        {
            throw new InvalidDataException(
                $"'{path}': the first Conv weight '{conv.Inputs[1]}' has shape [{string.Join(", ", dims)}]; expected "
                    + $"[out, in, height, width]."
            );
        }

        return new ConvolutionKernels(
            values,
            checked((int)dims[0]),
            checked((int)dims[1]),
            checked((int)dims[2]),
            checked((int)dims[3])
        );
    }
}
