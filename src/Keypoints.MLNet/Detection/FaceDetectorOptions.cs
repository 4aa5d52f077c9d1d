namespace Keypoints.MLNet.Detection;

/// <summary>Settings of a <see cref="FaceDetector"/>.</summary>
public sealed class FaceDetectorOptions
{
    /// <summary>Smallest score (sigmoid of the model's logit, 0 to 1) a face must have to be reported. Default
    /// 0.5.</summary>
    public float MinScore { get; set; } = 0.5f;

    /// <summary>Boxes that overlap a higher-scoring box by more than this intersection over union are merged into it
    /// (weighted non-maximum suppression, as MediaPipe does). Default 0.3, MediaPipe's value for this model.</summary>
    public float IouThreshold { get; set; } = 0.3f;

    /// <summary>Most faces reported per image, highest scores first. Default 100.</summary>
    public int MaxFaces { get; set; } = 100;

    /// <summary>Also look at overlapping square tiles of this many image pixels (each scaled to the model's 256 x 256
    /// input) when the image's longer side is more than <see cref="TileSize"/> times <see cref="TilingFactor"/>, so
    /// that small faces in big photos are seen larger than the whole-image pass shows them. Default 512; 0 turns tiling
    /// off.</summary>
    /// <remarks>With the default factor of 2, tiles start above 1024 pixels, so pictures up to that size get the
    /// whole-image pass alone. That pass already finds small faces in 640 x 480 pictures: on the project's scenes
    /// (faces 16-64 px between the eyes) it found 388 of 391 with no false detection, while 256-pixel tiles found 390
    /// but added 10 false detections at a tenth of the speed. A photo much larger than the model's input is another
    /// matter: in a 1600 x 1000 picture the whole-image pass shrinks a face 20 pixels between the eyes to 3, below what
    /// the model finds, and 512-pixel tiles found it (one more model run per tile: 13 in all there).</remarks>
    public int TileSize { get; set; } = 512;

    /// <summary>Tiling starts when the image's longer side exceeds <see cref="TileSize"/> times this. Default
    /// 2.</summary>
    public float TilingFactor { get; set; } = 2f;

    /// <summary>Threads ONNX Runtime may use inside one detection; 0 lets it choose (one per core). Default 1 (why:
    /// docs/decisions.md#one-thread-per-detection); to use more cores, call <see cref="FaceDetector.Detect(RgbImage)"/>
    /// from several threads.</summary>
    public int IntraOpThreads { get; set; } = 1;

    internal void Validate()
    {
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

        if (MaxFaces < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxFaces), MaxFaces, "MaxFaces must be at least 1.");
        if (TileSize < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(TileSize),
                TileSize,
                "TileSize must be 0 (no tiling) or positive."
            );
        }

        if (TilingFactor < 1 || float.IsNaN(TilingFactor))
        {
            throw new ArgumentOutOfRangeException(
                nameof(TilingFactor),
                TilingFactor,
                "TilingFactor must be at least 1."
            );
        }

        if (IntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(IntraOpThreads),
                IntraOpThreads,
                "IntraOpThreads must be 0 or positive."
            );
        }
    }
}
