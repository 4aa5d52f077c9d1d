using Keypoints.MLNet.Scoring;

namespace Keypoints.MLNet;

/// <summary>
/// The trained keypoint models of the <c>Keypoints.MLNet.Models</c> package, reached as
/// <c>mlContext.Keypoints.Pretrained</c>. Each is an ordinary model, as <c>mlContext.Keypoints.LoadModel</c> gives it,
/// ready for photos:
/// <c>using var faces = ml.Keypoints.Photos(ml.Keypoints.Pretrained.Face68()); var found =
/// faces.Predict("photo.jpg");</c>
/// </summary>
/// <remarks>The models are resources of this assembly. The first use writes each one's bytes, once per content, to an
/// owner-only folder of the user's cache (<see cref="PretrainedModelCache"/>), and loads it from there.</remarks>
public sealed class PretrainedModelsCatalog
{
    /// <summary>The name of the 68-point (iBUG) model, for <see cref="Load(string)"/> and the CLI's
    /// <c>--model</c>.</summary>
    public const string Face68Name = "face68";

    /// <summary>The name of the Kaggle 15-point model, for <see cref="Load(string)"/> and the CLI's
    /// <c>--model</c>.</summary>
    public const string Kaggle15Name = "kaggle15";

    private readonly KeypointsCatalog keypoints;

    internal PretrainedModelsCatalog(KeypointsCatalog keypoints) => this.keypoints = keypoints;

    /// <summary>The names of the shipped models: <c>face68</c>, <c>kaggle15</c>.</summary>
    public IReadOnlyList<string> Names => PretrainedModelCache.Names;

    /// <summary>The 68-point model (iBUG 300-W layout, <c>Ibug68</c>): a model trained on 96 x 96 grey face images that
    /// takes image file paths, and through <c>mlContext.Keypoints.Photos</c> or <c>PhotoModel</c> every face of a
    /// photo. Research use only (the model card says why).</summary>
    public KeypointImageModel Face68() =>
        keypoints.LoadModel<KeypointImageModel>(PretrainedModelCache.Bytes(Face68Name), Source(Face68Name));

    /// <summary>The Kaggle 15-point model (<c>Kaggle15</c>): a model of 96 x 96 grey crops, 0-255 pixel vectors in,
    /// pixel coordinates out, as trained on Kaggle's Facial Keypoints Detection CSV; photos work through
    /// <c>mlContext.Keypoints.Photos</c> as well.</summary>
    public KeypointCnnModel Kaggle15() =>
        keypoints.LoadModel<KeypointCnnModel>(PretrainedModelCache.Bytes(Kaggle15Name), Source(Kaggle15Name));

    /// <summary>The shipped model named <paramref name="name"/> (<c>face68</c> or <c>kaggle15</c>, any case).</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <exception cref="ArgumentException">No shipped model has that name; the message lists the names.</exception>
    public IKeypointModel Load(string name)
    {
        // From the embedded bytes themselves, never through a file that could change between a check and the load.
        string canonical = PretrainedModelCache.CanonicalName(name);
        return keypoints.LoadModel(PretrainedModelCache.Bytes(canonical), Source(canonical));
    }

    private static string Source(string name) => $"{name} (embedded in Keypoints.MLNet.Models)";

    /// <summary>The path of the shipped model's bare <c>.onnx</c> file in the user's cache, written there first when
    /// absent or different: for tools that take a file (<c>KeypointModelInfo.Load</c>, ONNX Runtime
    /// elsewhere).</summary>
    /// <param name="name">A name from <see cref="Names"/>.</param>
    /// <exception cref="ArgumentException">No shipped model has that name; the message lists the names.</exception>
    /// <exception cref="UnauthorizedAccessException">The cache folder is open to other users and cannot be made
    /// owner-only.</exception>
    public string FilePath(string name) => PretrainedModelCache.Extract(name);
}
