using Keypoints.MLNet.Layouts;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Scoring;

/// <summary>
/// Keypoints of face crops (the network's input frame, as in the training data), one crop per call, from any number of
/// threads at once: a pool of ML.NET <see cref="PredictionEngine{TSrc, TDst}"/>s over the predictor's own copy of the
/// model. A thread rents an engine, predicts and hands it back, so engines are made once and reused.
/// </summary>
/// <remarks>
/// Why not an engine per call or per thread: ML.NET's <c>mlContext.Model.CreatePredictionEngine</c> makes an engine
/// that owns the model by default, and disposing it disposes the model's ONNX Runtime session, which every engine and
/// <c>Transform</c> of that model shares; the next <c>Transform</c> fails, and threads that each create, use and
/// dispose their own engine crash the process. The pool's engines never own the model, the predictor's copy of the
/// model is independent of the one passed in (dispose either, in any order), and disposing the predictor while other
/// threads still predict releases the session when the last of those calls ends.
/// </remarks>
public sealed class CropKeypointsPredictor : IDisposable
{
    private readonly KeypointCnnModel network;
    private readonly ObjectPool<PredictionEngine<PixelRow, KeypointRow>> engines;
    private readonly InFlightScoring inFlight;

    /// <summary>Builds the pool for a model loaded by <c>mlContext.Keypoints.LoadModel</c> or fitted by a trainer; the
    /// model's graph is copied, so the model may be disposed afterwards.</summary>
    /// <param name="mlContext">The context the engines are made in.</param>
    /// <param name="model">A <see cref="KeypointCnnModel"/>, or a <see cref="KeypointImageModel"/> whose
    /// <see cref="KeypointImageModel.Network"/> scores the crops.</param>
    /// <param name="maximumRetainedEngines">How many idle engines the pool keeps (more are made when more threads
    /// predict at once, and disposed when handed back to a full pool); 0 for twice the processor count.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumRetainedEngines"/> is negative.</exception>
    public CropKeypointsPredictor(MLContext mlContext, IKeypointModel model, int maximumRetainedEngines = 0)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfNegative(maximumRetainedEngines);
        var cnn = model switch
        {
            KeypointCnnModel c => c,
            KeypointImageModel i => i.Network,
            _ => throw new ArgumentException(
                $"A {model.GetType().Name} cannot score crops; expected a model from LoadModel.",
                nameof(model)
            ),
        };
        network = new KeypointCnnModel(mlContext, cnn.OnnxGraph.ToArray(), cnn.Metadata);
        var metadata = network.Metadata;
        InputLength = metadata.Channels * metadata.Layout.ImageWidth * metadata.Layout.ImageHeight;
        var options = new PredictionEngineOptions
        {
            OwnsTransformer = false,
            InputSchemaDefinition = VectorSchema<PixelRow>(metadata.InputColumnName, InputLength),
            OutputSchemaDefinition = VectorSchema<KeypointRow>(
                metadata.OutputColumnName,
                metadata.Layout.CoordinateCount
            ),
        };
        var provider = new DefaultObjectPoolProvider
        {
            MaximumRetained = maximumRetainedEngines > 0 ? maximumRetainedEngines : 2 * Environment.ProcessorCount,
        };
        engines = provider.Create(new EnginePolicy(mlContext, network, options));
        inFlight = new InFlightScoring(ReleaseSessions);
    }

    /// <summary>The keypoint set, with the crop size its coordinates refer to.</summary>
    public KeypointLayout Layout => network.Layout;

    /// <summary>The number of pixel values of one crop: channels x height x width, planar (all of the first channel,
    /// row by row, then the next), raw levels 0-255 as in the training data.</summary>
    public int InputLength { get; }

    /// <summary>The keypoints of one crop: <c>x0, y0, x1, y1, ...</c> in the crop's pixels, in the order of
    /// <see cref="KeypointLayout.KeypointNames"/>. May be called from several threads at once.</summary>
    /// <param name="pixels">Exactly <see cref="InputLength"/> values; not changed.</param>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> has the wrong length.</exception>
    /// <exception cref="ObjectDisposedException">The predictor was disposed.</exception>
    public float[] Predict(float[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != InputLength)
        {
            throw new ArgumentException(
                $"A crop for this model has {InputLength} pixel values ({network.Metadata.Channels} x "
                    + $"{Layout.ImageHeight} x {Layout.ImageWidth}); got {pixels.Length}.",
                nameof(pixels)
            );
        }

        inFlight.Enter(this);
        try
        {
            var engine = engines.Get();
            try
            {
                return engine.Predict(new PixelRow { Pixels = pixels }).Keypoints;
            }
            finally
            {
                engines.Return(engine);
            }
        }
        finally
        {
            inFlight.Exit();
        }
    }

    /// <summary>Releases the engines and the predictor's copy of the model, now or, when other threads are still
    /// predicting, when the last of those calls ends. The model passed to the constructor is not touched.</summary>
    public void Dispose() => inFlight.Close();

    private void ReleaseSessions()
    {
        (engines as IDisposable)?.Dispose();
        network.Dispose();
    }

    private static SchemaDefinition VectorSchema<TRow>(string column, int length)
    {
        var definition = SchemaDefinition.Create(typeof(TRow));
        definition[0].ColumnName = column;
        definition[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, length);
        return definition;
    }

    /// <summary>Makes engines that do not own the model, so disposing one (when the pool is full or disposed) leaves
    /// the model's session to the others.</summary>
    private sealed class EnginePolicy(MLContext mlContext, KeypointCnnModel network, PredictionEngineOptions options)
        : PooledObjectPolicy<PredictionEngine<PixelRow, KeypointRow>>
    {
        public override PredictionEngine<PixelRow, KeypointRow> Create() =>
            mlContext.Model.CreatePredictionEngine<PixelRow, KeypointRow>(network, options);

        public override bool Return(PredictionEngine<PixelRow, KeypointRow> obj) => true;
    }

    /// <summary>One crop's pixels (the column is renamed to the model's input column).</summary>
    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];
    }

    /// <summary>One crop's predicted coordinates (the column is renamed to the model's output column).</summary>
    private sealed class KeypointRow
    {
        public float[] Keypoints { get; set; } = [];
    }
}
