using System.Drawing;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace Keypoints.MLNet.Detection;

/// <summary>Finds faces in images of any size with MediaPipe's full-range BlazeFace model (embedded in this assembly;
/// see <c>models/PROVENANCE.md</c>) on ONNX Runtime: each face's score, box and six points (eyes, nose, mouth, ears) in
/// image pixels. The image is letterboxed into the model's 256 x 256 input; optionally a big image is also looked at
/// in overlapping tiles (<see cref="FaceDetectorOptions.TileSize"/>) so that small faces are seen at a size the model
/// finds. Overlapping detections are merged by weighted non-maximum suppression. One instance holds one ONNX Runtime
/// session; <see cref="Detect(RgbImage)"/> may be called from several threads at once.</summary>
public sealed class FaceDetector : IDisposable
{
    /// <summary>Name of the embedded model resource.</summary>
    internal const string ModelResourceName = "Keypoints.MLNet.Detection.face_detection_back_256x256_barracuda.onnx";

    private const string InputName = "input:0";
    private const float ScoreClip = 100f;
    private static readonly (string Scores, string Regressors)[] OutputNames =
    [
        ("Identity:0", "Identity_2:0"),
        ("Identity_1:0", "Identity_3:0"),
    ];

    private readonly InferenceSession session;
    private readonly FaceDetectorOptions options;

    /// <summary>Creates a detector with the given settings (defaults when null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public FaceDetector(FaceDetectorOptions? options = null)
    {
        this.options = options ?? new FaceDetectorOptions();
        this.options.Validate();
        // The converted model carries two unused constants; at ONNX Runtime's default (warning) level every process
        // that detects faces would print a warning about them on stderr, which a CLI user reads as a problem.
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (this.options.IntraOpThreads > 0)
            sessionOptions.IntraOpNumThreads = this.options.IntraOpThreads;
        this.session = new InferenceSession(ReadModel(), sessionOptions);
    }

    /// <summary>The faces in an image file (any format SkiaSharp decodes), highest score first. The file is decoded by
    /// <see cref="RgbImage.Load(string)"/>, within <c>ImageDecodeLimits.Default</c>; for other limits pass
    /// <c>RgbImage.Load(path, limits)</c> to <see cref="Detect(RgbImage)"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an image that can be decoded, is over the limits,
    /// truncated or corrupt.</exception>
    public IReadOnlyList<DetectedFace> Detect(string imagePath) => Detect(RgbImage.Load(imagePath));

    /// <summary>The faces in an image loaded by ML.NET (for example a row of <c>LoadImages</c>' column), highest score
    /// first.</summary>
    public IReadOnlyList<DetectedFace> Detect(MLImage image) => Detect(RgbImage.FromMLImage(image));

    /// <summary>The faces in an RGB image, highest score first, in the image's pixel coordinates.</summary>
    public IReadOnlyList<DetectedFace> Detect(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        ObjectDisposedException.ThrowIf(disposed, this);
        var candidates = new List<FaceCandidate>();
        float[] tensor = new float[BlazeFaceAnchors.InputSize * BlazeFaceAnchors.InputSize * 3];
        foreach (var frame in Frames(image.Width, image.Height))
        {
            LetterboxSampler.Fill(image, frame, tensor);
            foreach (var candidate in Run(tensor, frame))
            {
                if (IsWhole(frame, image) || InsideTile(candidate, frame, image))
                    candidates.Add(candidate);
            }
        }
        return
        [
            .. WeightedNonMaxSuppression
                .Apply(candidates, this.options.IouThreshold, this.options.MaxFaces)
                .Select(ToFace),
        ];
    }

    /// <summary>The regions the detector looks at: the whole image, and when it is big, overlapping square
    /// tiles.</summary>
    internal IEnumerable<LetterboxFrame> Frames(int width, int height)
    {
        yield return LetterboxFrame.Whole(width, height, BlazeFaceAnchors.InputSize);
        int tile = this.options.TileSize;
        if (tile == 0 || Math.Max(width, height) <= tile * this.options.TilingFactor)
            yield break;
        foreach (int top in TileStarts(height, tile))
        {
            foreach (int left in TileStarts(width, tile))
            {
                yield return new LetterboxFrame(
                    left,
                    top,
                    Math.Min(tile, width),
                    Math.Min(tile, height),
                    BlazeFaceAnchors.InputSize
                );
            }
        }
    }

    /// <summary>Tile starts along one side, evenly spread so that neighbours overlap by at least a quarter of a tile (a
    /// face cut by one tile's edge lies whole in the next).</summary>
    internal static List<int> TileStarts(int length, int tile)
    {
        if (length <= tile)
            return [0];
        int count = (int)Math.Ceiling((length - tile) / (tile * 0.75)) + 1;
        var starts = new List<int>(count);
        for (int i = 0; i < count; i++)
            starts.Add((int)Math.Round((double)(length - tile) * i / (count - 1)));
        return starts;
    }

    private static bool IsWhole(LetterboxFrame frame, RgbImage image) =>
        frame.RegionLeft == 0
        && frame.RegionTop == 0
        && frame.RegionWidth == image.Width
        && frame.RegionHeight == image.Height;

    // A face cut by a tile's inner edge is half a face: its box and points are guesses. The neighbouring tile, which
    // overlaps by a quarter, or the whole-image pass sees it whole, so such detections are dropped rather than merged.
    private static bool InsideTile(FaceCandidate candidate, LetterboxFrame frame, RgbImage image)
    {
        float left = frame.RegionLeft - 0.5f,
            top = frame.RegionTop - 0.5f;
        float right = left + frame.RegionWidth,
            bottom = top + frame.RegionHeight;
        return (candidate.Left >= left || left <= -0.5f)
            && (candidate.Top >= top || top <= -0.5f)
            && (candidate.Right <= right || right >= image.Width - 0.5f)
            && (candidate.Bottom <= bottom || bottom >= image.Height - 0.5f);
    }

    private List<FaceCandidate> Run(float[] tensor, LetterboxFrame frame)
    {
        int size = BlazeFaceAnchors.InputSize;
        using var input = OrtValue.CreateTensorValueFromMemory(tensor, [1, size, size, 3]);
        string[] outputNames =
        [
            OutputNames[0].Scores,
            OutputNames[0].Regressors,
            OutputNames[1].Scores,
            OutputNames[1].Regressors,
        ];
        using var runOptions = new RunOptions();
        using var outputs = this.session.Run(runOptions, [InputName], [input], outputNames);
        var candidates = new List<FaceCandidate>();
        float[] centres = BlazeFaceAnchors.Centres;
        float minLogit = Logit(this.options.MinScore);
        int anchorBase = 0;
        for (int map = 0; map < OutputNames.Length; map++)
        {
            var scores = outputs[2 * map].GetTensorDataAsSpan<float>();
            var regressors = outputs[(2 * map) + 1].GetTensorDataAsSpan<float>();
            for (int i = 0; i < scores.Length; i++)
            {
                float logit = Math.Clamp(scores[i], -ScoreClip, ScoreClip);
                if (logit < minLogit)
                    continue;
                int anchor = anchorBase + i;
                float anchorX = centres[2 * anchor] * size,
                    anchorY = centres[(2 * anchor) + 1] * size;
                var r = regressors.Slice(i * FaceCandidate.GeometryLength, FaceCandidate.GeometryLength);
                float[] geometry = new float[FaceCandidate.GeometryLength];
                geometry[0] = frame.ImageX(anchorX + r[0]);
                geometry[1] = frame.ImageY(anchorY + r[1]);
                geometry[2] = r[2] / frame.Scale;
                geometry[3] = r[3] / frame.Scale;
                for (int p = 4; p < FaceCandidate.GeometryLength; p += 2)
                {
                    geometry[p] = frame.ImageX(anchorX + r[p]);
                    geometry[p + 1] = frame.ImageY(anchorY + r[p + 1]);
                }
                candidates.Add(new FaceCandidate(Sigmoid(logit), geometry));
            }
            anchorBase += scores.Length;
        }
        return candidates;
    }

    private static float Sigmoid(float logit) => 1f / (1f + MathF.Exp(-logit));

    private static float Logit(float probability) =>
        probability <= 0 ? float.NegativeInfinity
        : probability >= 1 ? float.PositiveInfinity
        : MathF.Log(probability / (1 - probability));

    private static DetectedFace ToFace(FaceCandidate c)
    {
        float[] g = c.Geometry;
        return new DetectedFace(
            c.Score,
            new RectangleF(c.Left, c.Top, g[2], g[3]),
            RightEye: new PointF(g[4], g[5]),
            LeftEye: new PointF(g[6], g[7]),
            Nose: new PointF(g[8], g[9]),
            Mouth: new PointF(g[10], g[11]),
            RightEar: new PointF(g[12], g[13]),
            LeftEar: new PointF(g[14], g[15])
        );
    }

    /// <summary>The embedded ONNX model's bytes.</summary>
    internal static byte[] ReadModel()
    {
        using var stream = typeof(FaceDetector).Assembly.GetManifestResourceStream(ModelResourceName)
            ?? throw new InvalidOperationException(
                $"The face detection model resource '{ModelResourceName}' is missing from "
                    + $"{typeof(FaceDetector).Assembly.FullName}."
            );
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private bool disposed;

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        this.session.Dispose();
    }
}
