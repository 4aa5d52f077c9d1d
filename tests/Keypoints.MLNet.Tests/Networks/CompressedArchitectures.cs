using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Onnx;

namespace Keypoints.MLNet.Tests.Networks;

/// <summary>Every architecture with each compressed weight format, for theories over both.</summary>
public static class CompressedArchitectures
{
    public static TheoryData<KeypointArchitecture, OnnxWeightFormat> All
    {
        get
        {
            var data = new TheoryData<KeypointArchitecture, OnnxWeightFormat>();
            foreach (var architecture in Enum.GetValues<KeypointArchitecture>())
            {
                data.Add(architecture, OnnxWeightFormat.Float16);
                data.Add(architecture, OnnxWeightFormat.Int8);
            }
            return data;
        }
    }
}
