namespace Keypoints.MLNet.Tests.Tiers;

/// <summary>What a test needs beyond the repository and the .NET SDK: the tiers of the test suite.</summary>
[Flags]
public enum Needs
{
    /// <summary>The face data set, <c>../shared/data</c> beside the repository or the folder <c>KEYPOINTS_DATA</c>
    /// names.</summary>
    FaceData = 1,

    /// <summary>The official ONNX checker: <c>/usr/bin/python3</c> with Debian's <c>python3-onnx</c>.</summary>
    OnnxChecker = 2,
}
