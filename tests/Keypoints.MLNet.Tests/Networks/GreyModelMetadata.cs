using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Tests.Networks;

/// <summary>The metadata record of a grey model with the default columns and pixel scaling, for graphs that tests
/// export straight from networks.</summary>
internal static class GreyModelMetadata
{
    public static KeypointModelMetadata For(
        KeypointLayout layout,
        bool testTimeFlip = false,
        IReadOnlyList<string>? networks = null
    ) =>
        new()
        {
            Layout = layout,
            InputColumnName = "Image",
            OutputColumnName = "PredictedKeypoints",
            Channels = 1,
            PixelOffset = 0,
            PixelScale = 1f / 255f,
            TestTimeFlip = testTimeFlip,
            Networks = networks ?? [],
        };
}
