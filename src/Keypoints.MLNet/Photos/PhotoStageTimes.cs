using System.Diagnostics;

namespace Keypoints.MLNet.Photos;

/// <summary>Time spent in each stage of <see cref="FaceKeypointsPredictor"/>, summed over the calls it is passed to, in
/// <see cref="Stopwatch"/> ticks (<see cref="Stopwatch.Frequency"/> per second). For the benchmark; not thread-safe, so
/// each calling thread keeps its own.</summary>
internal sealed class PhotoStageTimes
{
    /// <summary>Decoding the image file to RGB.</summary>
    public long Decode { get; set; }

    /// <summary>The face detector: letterbox, BlazeFace network, decoding and non-maximum suppression.</summary>
    public long Detect { get; set; }

    /// <summary>Framing each face from its calibrated eyes and cutting it out into the network's input.</summary>
    public long Crop { get; set; }

    /// <summary>The keypoint network's ONNX Runtime run over all the photo's faces.</summary>
    public long Network { get; set; }

    /// <summary>Mapping the predictions back to photo pixels.</summary>
    public long MapBack { get; set; }

    /// <summary>Photos timed.</summary>
    public int Photos { get; set; }

    /// <summary>Faces found in them.</summary>
    public int Faces { get; set; }

    /// <summary>Adds another instance's times to this one.</summary>
    public void Add(PhotoStageTimes other)
    {
        Decode += other.Decode;
        Detect += other.Detect;
        Crop += other.Crop;
        Network += other.Network;
        MapBack += other.MapBack;
        Photos += other.Photos;
        Faces += other.Faces;
    }
}
