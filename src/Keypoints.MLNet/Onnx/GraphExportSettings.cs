using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Training;

namespace Keypoints.MLNet.Onnx;

/// <summary>Everything around the networks that <see cref="KeypointGraphExporter"/> writes into a graph.</summary>
/// <param name="Layout">The keypoint set and image size.</param>
/// <param name="InputName">The graph input (ML.NET feature column) of <c>C * H * W</c> pixel values.</param>
/// <param name="OutputName">The graph output (ML.NET column) of <c>2K</c> pixel coordinates.</param>
/// <param name="PixelOffset">Subtracted from every pixel value before the network.</param>
/// <param name="PixelScale">Multiplies every pixel value after the offset.</param>
/// <param name="TestTimeFlip">Whether the graph averages the prediction with the un-mirrored prediction of the mirrored face.</param>
/// <param name="FlipAxisOffset">Where the labels' mirror axis lies, in pixels right of the image's center line; the test-time
/// flip un-mirrors about it.</param>
/// <param name="History">The (base network's) training history, stored in the graph's metadata.</param>
internal sealed record GraphExportSettings(
    KeypointLayout Layout, string InputName, string OutputName, float PixelOffset, float PixelScale, bool TestTimeFlip,
    double FlipAxisOffset, IReadOnlyList<EpochReport> History);
