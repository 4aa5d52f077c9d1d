using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;

namespace Keypoints.MLNet.Training;

/// <summary>Where a fine-tuning run starts: a trained model's base-network weights, and the layout and mirror axis they
/// were trained for. The estimator reads them from the model; the engine copies the weights into the network it builds
/// and refuses data of another layout.</summary>
/// <param name="Weights">The base network's weights.</param>
/// <param name="Layout">The model's layout (keypoint names, in order, and image size).</param>
/// <param name="FlipAxisOffset">The model's mirror axis, in pixels right of the image's center line; flips start from
/// it.</param>
internal sealed record FineTuningStart(NetworkWeights Weights, KeypointLayout Layout, double FlipAxisOffset)
{
    /// <summary>Fails unless <paramref name="data"/>, the training data's layout, has the model's keypoints in the
    /// model's order and its image size.</summary>
    /// <exception cref="ArgumentException">The keypoints or the image size differ; the message names the first
    /// difference.</exception>
    public void CheckData(KeypointLayout data, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(data);
        var model = Layout;
        if (!data.KeypointNames.SequenceEqual(model.KeypointNames, StringComparer.Ordinal))
        {
            int first = Enumerable
                .Range(0, Math.Min(data.KeypointCount, model.KeypointCount))
                .FirstOrDefault(
                    i => data.KeypointNames[i] != model.KeypointNames[i],
                    Math.Min(data.KeypointCount, model.KeypointCount)
                );
            string difference =
                first < Math.Min(data.KeypointCount, model.KeypointCount)
                    ? $"keypoint {first} is '{data.KeypointNames[first]}' in the data and "
                        + $"'{model.KeypointNames[first]}' in the model"
                    : $"the data has {data.KeypointCount} keypoints and the model {model.KeypointCount}";
            throw new ArgumentException(
                $"Fine-tuning needs data of the model's layout '{model.Name}' ({model.KeypointCount} keypoints), and "
                    + $"the data's layout "
                    + $"'{data.Name}' differs: {difference}. Train from scratch for another set of keypoints.",
                parameterName
            );
        }
        if (data.ImageWidth != model.ImageWidth || data.ImageHeight != model.ImageHeight)
        {
            throw new ArgumentException(
                $"Fine-tuning needs images of the model's size, {model.ImageWidth} x {model.ImageHeight} pixels; the "
                    + $"data's are "
                    + $"{data.ImageWidth} x {data.ImageHeight}.",
                parameterName
            );
        }
    }
}
