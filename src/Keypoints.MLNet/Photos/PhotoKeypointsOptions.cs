using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Photos;

/// <summary>Settings of a <see cref="FaceKeypointsPredictor"/>.</summary>
public sealed class PhotoKeypointsOptions
{
    /// <summary>The face detector's settings; defaults when null.</summary>
    public FaceDetectorOptions? Detector { get; set; }

    /// <summary>How to frame each face for the keypoint network. Null (the default) takes the model's own record
    /// (<c>Metadata.Framing</c>, measured from its training labels); a model whose layout names no eyes has none, and
    /// needs this set (eye midpoint and inter-ocular distance as fractions of the frame width of its training
    /// crops).</summary>
    public FaceFraming? Framing { get; set; }

    /// <summary>The map from the detector's eyes to the labels' eye centres; default
    /// <see cref="DetectorEyeCalibration.Default"/>, measured on training images.</summary>
    public DetectorEyeCalibration EyeCalibration { get; set; } = DetectorEyeCalibration.Default;

    /// <summary>Threads ONNX Runtime may use inside one run of the keypoint network (all of a photo's faces at once); 0
    /// (the default) lets it choose, one per core. Set 1, with <see cref="FaceDetectorOptions.IntraOpThreads"/> (1 by
    /// default), when photos are scored from several threads at once, so that each call uses one core.</summary>
    public int NetworkIntraOpThreads { get; set; }

    /// <summary>The largest photo <see cref="FaceKeypointsPredictor.Predict(string)"/> decodes, read from the file's
    /// header first; a photo over it is refused with an <see cref="InvalidDataException"/> naming the file, its size
    /// and the limits. Default <see cref="ImageDecodeLimits.Default"/>: sides up to 16384 pixels, 64
    /// megapixels.</summary>
    public ImageDecodeLimits ImageLimits { get; set; } = ImageDecodeLimits.Default;
}
