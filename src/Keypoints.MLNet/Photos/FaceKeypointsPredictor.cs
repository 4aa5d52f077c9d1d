using System.Diagnostics;
using Keypoints.MLNet.Detection;
using Keypoints.MLNet.Export;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Scoring;
using Microsoft.ML.OnnxRuntime;

namespace Keypoints.MLNet.Photos;

/// <summary>Keypoints of every face in a photo: the <see cref="FaceDetector"/> finds the faces, each is framed the way
/// the model's training faces were (<see cref="FaceFrame.FromEyes"/> from the calibrated detector eyes and the model's
/// <see cref="FaceFraming"/>), cut out with edge replication and filtered resampling (<see cref="FaceCropSampler"/>),
/// scored by the model's ONNX keypoint graph on ONNX Runtime, and mapped back to photo pixels. Holds two ONNX Runtime
/// sessions;
/// <see cref="Predict(string)"/> may be called from several threads at once, and disposing the predictor while other
/// threads still predict releases the sessions when the last of those calls ends.</summary>
public sealed class FaceKeypointsPredictor : IDisposable
{
    private readonly FaceDetector detector;
    private readonly InferenceSession network;
    private readonly KeypointModelMetadata metadata;
    private readonly FaceFraming framing;
    private readonly DetectorEyeCalibration calibration;
    private readonly ImageDecodeLimits imageLimits;
    private readonly InFlightScoring inFlight;

    /// <summary>Builds the pipeline for a model loaded by <c>mlContext.Keypoints.LoadModel</c> (either kind); the
    /// model's graph is copied, so the model may be disposed afterwards.</summary>
    /// <param name="model">A <see cref="KeypointCnnModel"/> or <see cref="KeypointImageModel"/>.</param>
    /// <param name="options">Detector, framing and calibration settings; defaults when null.</param>
    /// <exception cref="ArgumentException">The model records no framing (its layout names no eyes) and none is
    /// given.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="PhotoKeypointsOptions.NetworkIntraOpThreads"/> is
    /// negative, or a detector option is out of its range.</exception>
    public FaceKeypointsPredictor(IKeypointModel model, PhotoKeypointsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new PhotoKeypointsOptions();
        var cnn = model switch
        {
            KeypointCnnModel c => c,
            KeypointImageModel i => i.Network,
            _ => throw new ArgumentException(
                $"A {model.GetType().Name} cannot score photos; expected a model from LoadModel.",
                nameof(model)
            ),
        };
        metadata = cnn.Metadata;
        framing = options.Framing
            ?? metadata.Framing
            ?? throw new ArgumentException(
                $"The model's layout '{metadata.Layout.Name}' names no eyes, so it records no framing; set "
                    + $"{nameof(PhotoKeypointsOptions)}.{nameof(PhotoKeypointsOptions.Framing)}.",
                nameof(options)
            );
        calibration = options.EyeCalibration
            ?? throw new ArgumentException("The eye calibration must not be null.", nameof(options));
        imageLimits = options.ImageLimits
            ?? throw new ArgumentException("The image limits must not be null.", nameof(options));
        KeypointNames = metadata.Layout.KeypointNames;
        if (options.NetworkIntraOpThreads < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.NetworkIntraOpThreads,
                $"{nameof(PhotoKeypointsOptions)}.{nameof(PhotoKeypointsOptions.NetworkIntraOpThreads)} must be 0 or "
                    + $"positive."
            );
        }

        (detector, network) = StartSessions(cnn, options);
        inFlight = new InFlightScoring(ReleaseSessions);
    }

    /// <summary>Starts the detector's and the network's ONNX Runtime sessions side by side, on two threads
    /// (decisions.md, "Photos side by side").</summary>
    private static (FaceDetector, InferenceSession) StartSessions(KeypointCnnModel cnn, PhotoKeypointsOptions options)
    {
        (options.Detector ?? new FaceDetectorOptions()).Validate();
        var detecting = Task.Run(() => new FaceDetector(options.Detector));
        InferenceSession network;
        try
        {
            using var sessionOptions = new SessionOptions();
            if (options.NetworkIntraOpThreads > 0)
                sessionOptions.IntraOpNumThreads = options.NetworkIntraOpThreads;
            network = new InferenceSession(cnn.OnnxGraph.ToArray(), sessionOptions);
        }
        catch
        {
            // The network's failure is the one reported; the detector is released once it is made.
            _ = detecting.ContinueWith(
                made => made.Result.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default
            );
            throw;
        }
        try
        {
            return (detecting.GetAwaiter().GetResult(), network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The model's keypoint names, in the order of <see cref="PhotoFace.Keypoints"/>.</summary>
    public IReadOnlyList<string> KeypointNames { get; }

    /// <summary>Every face in an image file (any format SkiaSharp decodes), highest detector score first. The file's
    /// header is read first, and a photo over <see cref="PhotoKeypointsOptions.ImageLimits"/> is refused before it is
    /// decoded.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, not an image that can be decoded, over the limits
    /// (the message names the file, its declared size and the limits), truncated or corrupt.</exception>
    public IReadOnlyList<PhotoFace> Predict(string photoPath) => Predict(RgbImage.Load(photoPath, imageLimits));

    /// <summary>Every face of each photo, one list per path in the order given, each as <see cref="Predict(string)"/>
    /// gives it; up to <paramref name="threads"/> photos are decoded and scored at once, and the lists do not depend
    /// on the thread count. For one core per photo, make the predictor with
    /// <see cref="PhotoKeypointsOptions.NetworkIntraOpThreads"/> 1 (and the detector's default of one
    /// thread).</summary>
    /// <param name="photoPaths">The image files.</param>
    /// <param name="threads">Photos scored at once, at least 1; 1 scores them one by one on the calling thread.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist: the first photo in order that fails, as
    /// <see cref="Predict(string)"/> reports it; no photo after it is taken up once it fails.</exception>
    /// <exception cref="InvalidDataException">A file cannot be decoded or is over the limits (the first that fails, as
    /// above).</exception>
    public IReadOnlyList<IReadOnlyList<PhotoFace>> Predict(IReadOnlyList<string> photoPaths, int threads)
    {
        ArgumentNullException.ThrowIfNull(photoPaths);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return OrderedPhotoLoop.Map(photoPaths, threads, (path, _) => Predict(path));
    }

    /// <summary><see cref="Predict(string)"/>, adding the time of each stage to <paramref name="times"/> (the
    /// benchmark's view; the public overloads pass no timer and take no clock readings).</summary>
    internal IReadOnlyList<PhotoFace> Predict(string photoPath, PhotoStageTimes times)
    {
        long start = Stopwatch.GetTimestamp();
        var photo = RgbImage.Load(photoPath, imageLimits);
        long decoded = Stopwatch.GetTimestamp();
        times.Decode += decoded - start;
        inFlight.Enter(this);
        try
        {
            var faces = detector.Detect(photo);
            times.Detect += Stopwatch.GetTimestamp() - decoded;
            var result = Predict(photo, faces, times);
            times.Photos++;
            times.Faces += result.Count;
            return result;
        }
        finally
        {
            inFlight.Exit();
        }
    }

    /// <summary>Every face in an RGB image, highest detector score first, in the image's pixels.</summary>
    public IReadOnlyList<PhotoFace> Predict(RgbImage photo)
    {
        ArgumentNullException.ThrowIfNull(photo);
        inFlight.Enter(this);
        try
        {
            return Predict(photo, detector.Detect(photo), null);
        }
        finally
        {
            inFlight.Exit();
        }
    }

    /// <summary>The keypoints of faces already found in <paramref name="photo"/> (by this library's detector or another
    /// with the same eye convention), in the order given.</summary>
    public IReadOnlyList<PhotoFace> Predict(RgbImage photo, IReadOnlyList<DetectedFace> faces)
    {
        inFlight.Enter(this);
        try
        {
            return Predict(photo, faces, null);
        }
        finally
        {
            inFlight.Exit();
        }
    }

    /// <summary>The keypoints of <paramref name="faces"/>; the caller has entered <see cref="inFlight"/>.</summary>
    private IReadOnlyList<PhotoFace> Predict(RgbImage photo, IReadOnlyList<DetectedFace> faces, PhotoStageTimes? times)
    {
        ArgumentNullException.ThrowIfNull(photo);
        ArgumentNullException.ThrowIfNull(faces);
        if (faces.Count == 0)
            return [];
        int width = metadata.Layout.ImageWidth,
            height = metadata.Layout.ImageHeight,
            channels = metadata.Channels;
        int size = channels * width * height;
        long start = times is null ? 0 : Stopwatch.GetTimestamp();
        var frames = new FaceFrame[faces.Count];
        float[] input = new float[faces.Count * size];
        for (int f = 0; f < faces.Count; f++)
        {
            frames[f] = FrameOf(faces[f]);
            FaceCropSampler.Fill(photo, frames[f], channels, input.AsSpan(f * size, size));
        }
        long cropped = times is null ? 0 : Stopwatch.GetTimestamp();
        using var tensor = OrtValue.CreateTensorValueFromMemory(input, [faces.Count, size]);
        using var runOptions = new RunOptions();
        using var outputs = network.Run(runOptions, [metadata.InputColumnName], [tensor], [metadata.OutputColumnName]);
        var predicted = outputs[0].GetTensorDataAsSpan<float>();
        long scored = times is null ? 0 : Stopwatch.GetTimestamp();
        int coordinates = metadata.Layout.CoordinateCount;
        var result = new PhotoFace[faces.Count];
        for (int f = 0; f < faces.Count; f++)
        {
            float[] points = new float[coordinates];
            for (int k = 0; k < coordinates; k += 2)
            {
                points[k] = (float)frames[f].PhotoX(predicted[(f * coordinates) + k]);
                points[k + 1] = (float)frames[f].PhotoY(predicted[(f * coordinates) + k + 1]);
            }
            result[f] = new PhotoFace(faces[f].Score, faces[f].Box, points, KeypointNames, faces[f], frames[f]);
        }
        if (times is not null)
        {
            times.Crop += cropped - start;
            times.Network += scored - cropped;
            times.MapBack += Stopwatch.GetTimestamp() - scored;
        }
        return result;
    }

    /// <summary>The network frame of a detected face: its calibrated eyes placed as the model's training faces' eyes
    /// were.</summary>
    public FaceFrame FrameOf(DetectedFace face)
    {
        var (x, y, distance) = calibration.EyeMidpoint(face);
        return FaceFrame.FromEyes(x, y, distance, framing, metadata.Layout.ImageWidth, metadata.Layout.ImageHeight);
    }

    /// <summary>Releases the detector's and the network's ONNX Runtime sessions, now or, when other threads are still
    /// predicting, when the last of those calls ends.</summary>
    public void Dispose() => inFlight.Close();

    private void ReleaseSessions()
    {
        network.Dispose();
        detector.Dispose();
    }
}
