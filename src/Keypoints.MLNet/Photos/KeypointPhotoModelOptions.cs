using Keypoints.MLNet.Images;
using Keypoints.MLNet.Layouts;

namespace Keypoints.MLNet.Photos;

/// <summary>Settings of a <see cref="KeypointPhotoModel"/>, fixed into its saved graph (all but <see
/// cref="ImageLimits"/>).</summary>
public sealed class KeypointPhotoModelOptions
{
    /// <summary>The input column of image file paths. Default <c>ImagePath</c>.</summary>
    public string ImagePathColumnName { get; set; } = "ImagePath";

    /// <summary>The side, in pixels, of the square working frame each photo is fitted into (aspect kept, centred)
    /// before detection and cropping; a multiple of 8, at least 256. Default 640: a 640 x 480 picture keeps every
    /// pixel, while a bigger photo is shrunk, so its faces must stay about 16 pixels between the eyes after shrinking
    /// to be found.</summary>
    public int WorkingSize { get; set; } = 640;

    /// <summary>The most faces reported per photo, highest detector scores first; the output columns hold this many
    /// faces. Default 16.</summary>
    public int MaxFaces { get; set; } = 16;

    /// <summary>Smallest detector score (0 to 1) of a reported face. Default 0.5, as
    /// <c>FaceDetectorOptions.MinScore</c>.</summary>
    public float MinScore { get; set; } = 0.5f;

    /// <summary>Detections that overlap a higher-scoring one by more than this intersection over union are merged into
    /// it. Default 0.3, as <c>FaceDetectorOptions.IouThreshold</c>.</summary>
    public float IouThreshold { get; set; } = 0.3f;

    /// <summary>How to frame each face; null (the default) takes the model's own record. A model whose layout names no
    /// eyes needs this set, as for <see cref="PhotoKeypointsOptions.Framing"/>.</summary>
    public FaceFraming? Framing { get; set; }

    /// <summary>The map from the detector's eyes to the labels' eye centres; default <see
    /// cref="DetectorEyeCalibration.Default"/>.</summary>
    public DetectorEyeCalibration EyeCalibration { get; set; } = DetectorEyeCalibration.Default;

    /// <summary>The largest photo the model decodes while it runs in this process: each file's header is read before
    /// ML.NET's <c>LoadImages</c> decodes it, and a photo over the limits (or empty, not an image, truncated or
    /// corrupt) is refused with an <see cref="InvalidDataException"/> naming the file. Default <see
    /// cref="ImageDecodeLimits.Default"/>. Not part of the saved model: a chain loaded with <c>mlContext.Model.Load</c>
    /// is made of ML.NET's transformers alone and decodes whatever file it is given (docs/photos.md,
    /// "Limits").</summary>
    public ImageDecodeLimits ImageLimits { get; set; } = ImageDecodeLimits.Default;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ImagePathColumnName, nameof(ImagePathColumnName));
        if (WorkingSize < 256 || WorkingSize % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(WorkingSize),
                WorkingSize,
                "WorkingSize must be a multiple of 8 and at least 256."
            );
        }

        if (MaxFaces < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxFaces), MaxFaces, "MaxFaces must be at least 1.");
        if (MinScore is < 0 or > 1 || float.IsNaN(MinScore))
            throw new ArgumentOutOfRangeException(nameof(MinScore), MinScore, "MinScore must lie between 0 and 1.");
        if (IouThreshold is <= 0 or > 1 || float.IsNaN(IouThreshold))
        {
            throw new ArgumentOutOfRangeException(
                nameof(IouThreshold),
                IouThreshold,
                "IouThreshold must lie in (0, 1]."
            );
        }

        ArgumentNullException.ThrowIfNull(EyeCalibration, nameof(EyeCalibration));
        ArgumentNullException.ThrowIfNull(ImageLimits, nameof(ImageLimits));
    }
}
