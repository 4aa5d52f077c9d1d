using Keypoints.MLNet.Evaluation;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Photos;
using Keypoints.MLNet.Scoring;
using Microsoft.ML;

namespace Keypoints.MLNet;

/// <summary>Keypoint trainers and evaluation, reached as <c>mlContext.Keypoints</c>.</summary>
public sealed class KeypointsCatalog
{
    private readonly MLContext mlContext;

    internal KeypointsCatalog(MLContext mlContext)
    {
        this.mlContext = mlContext;
        Trainers = new KeypointTrainersCatalog(mlContext);
    }

    /// <summary>The keypoint trainers.</summary>
    public KeypointTrainersCatalog Trainers { get; }

    /// <summary>Evaluates predicted against true keypoints over every row of <paramref name="data"/>.</summary>
    /// <param name="data">Scored rows (for example a model's <c>Transform</c> output).</param>
    /// <param name="layout">The keypoint set. Default <see langword="null"/>: the layout of a view from the library's
    /// loaders, else the one the label column's slot names describe (the loaders attach them and a model's
    /// <c>Transform</c> keeps them), else the one the predicted column's slot names describe.</param>
    /// <param name="labelColumnName">True pixel coordinates, NaN where missing (ignored).</param>
    /// <param name="predictedColumnName">Predicted pixel coordinates.</param>
    /// <param name="extremeRows">How many best and worst rows to report.</param>
    /// <returns>RMSE in pixels over present labels, NME, per-keypoint errors, best and worst rows.</returns>
    /// <exception cref="ArgumentException">No layout is given and none can be found; the message names the label
    /// column.</exception>
    public KeypointMetrics Evaluate(
        IDataView data,
        KeypointLayout? layout = null,
        string labelColumnName = "Keypoints",
        string predictedColumnName = "PredictedKeypoints",
        int extremeRows = 16
    )
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(extremeRows);
        return KeypointEvaluator.Evaluate(data, layout, labelColumnName, predictedColumnName, extremeRows);
    }

    /// <summary>Loads a keypoint model, typed, from a zip saved by <c>mlContext.Model.Save</c> or from a bare
    /// <c>.onnx</c> written by
    /// <c>ExportOnnx</c>: a <see cref="KeypointCnnModel"/>, or for a model trained on image files a <see
    /// cref="KeypointImageModel"/>, with the same <c>Transform</c>, <c>Metadata</c> and <c>ExportOnnx</c> as the fitted
    /// model. (Plain
    /// <c>mlContext.Model.Load</c> also works, and gives the untyped chain of ML.NET transformers.)</summary>
    /// <param name="path">The model file.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, truncated, not a zip or ONNX model, holds no keypoint
    /// graph, or a 0.1.0 model; one line that names the file (and the version).</exception>
    public IKeypointModel LoadModel(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return KeypointCnnModel.Load(mlContext, path);
    }

    /// <summary><see cref="LoadModel(string)"/> from the bytes of a model file already in memory (for example a
    /// resource of an assembly), so no file is written or read.</summary>
    /// <param name="modelBytes">The bytes of a model zip or a bare <c>.onnx</c>.</param>
    /// <param name="source">Where the bytes came from, named in error messages.</param>
    /// <exception cref="InvalidDataException">As <see cref="LoadModel(string)"/>.</exception>
    public IKeypointModel LoadModel(byte[] modelBytes, string source)
    {
        ArgumentNullException.ThrowIfNull(modelBytes);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return KeypointCnnModel.Load(mlContext, KeypointModelFile.Read(modelBytes, source));
    }

    /// <summary>Keypoints of every face in photos: the embedded face detector finds the faces, each is framed the way
    /// the model's training faces were, scored by the model's network and mapped back to photo pixels. For example
    /// <c>using var faces = ml.Keypoints.Photos(model); var found = faces.Predict("photo.jpg");</c></summary>
    /// <param name="model">A model from <see cref="LoadModel(string)"/> or a trainer; it may be disposed after this
    /// call.</param>
    /// <param name="options">Detector, framing and calibration settings; defaults when null.</param>
    /// <exception cref="ArgumentException">The model records no framing (its layout names no eyes) and the options give
    /// none.</exception>
    public FaceKeypointsPredictor Photos(IKeypointModel model, PhotoKeypointsOptions? options = null) =>
        new(model, options);

    /// <summary>Keypoints of every face in photos as one saveable ML.NET model: from a column of image file paths to
    /// each photo's face count and, per face, score, box and keypoints in photo pixels, in columns of
    /// <see cref="KeypointPhotoModelOptions.MaxFaces"/> faces. Saved with <c>mlContext.Model.Save</c>, it scores with
    /// ML.NET and ONNX Runtime alone. For example <c>using var photos = ml.Keypoints.PhotoModel(model);
    /// ml.Model.Save(photos, data.Schema, "faces.zip");</c></summary>
    /// <param name="model">A model from <see cref="LoadModel(string)"/> or a trainer; it may be disposed after this
    /// call.</param>
    /// <param name="options">Input column, working size, face count, detector thresholds, framing; defaults when
    /// null.</param>
    /// <exception cref="ArgumentException">The model records no framing (its layout names no eyes) and the options give
    /// none.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public KeypointPhotoModel PhotoModel(IKeypointModel model, KeypointPhotoModelOptions? options = null) =>
        KeypointPhotoModel.Create(mlContext, model, options);

    /// <summary>Keypoints of face crops (pixel vectors in the network's frame) from any number of threads at once, on a
    /// pool of prediction engines that never dispose the model's session. For example
    /// <c>using var crops = ml.Keypoints.Crops(model); float[] points = crops.Predict(pixels);</c> from every request
    /// thread.</summary>
    /// <param name="model">A model from <see cref="LoadModel(string)"/> or a trainer; it may be disposed after this
    /// call.</param>
    /// <param name="maximumRetainedEngines">How many idle engines the pool keeps; 0 for twice the processor
    /// count.</param>
    public CropKeypointsPredictor Crops(IKeypointModel model, int maximumRetainedEngines = 0) =>
        new(mlContext, model, maximumRetainedEngines);

    /// <summary>A <see cref="PredictionEngine{TSrc, TDst}"/> on <paramref name="model"/> that does not own it:
    /// disposing the engine leaves the model and its ONNX Runtime session to the model's other engines and
    /// <c>Transform</c>. (<c>mlContext.Model.CreatePredictionEngine(model)</c> makes an engine that owns the model, and
    /// disposing it disposes the session that every engine of the model shares.) An engine is for one thread at a time;
    /// make one per thread, or use
    /// <see cref="Crops"/>, which pools them.</summary>
    /// <typeparam name="TSrc">The input row class (for a <see cref="KeypointCnnModel"/>, a <c>float[]</c> property
    /// named as its <see cref="KeypointCnnModel.FeatureColumnName"/> with a <c>[VectorType]</c> of the input
    /// size).</typeparam>
    /// <typeparam name="TDst">The output row class (a <c>float[]</c> property named as the model's predicted
    /// column).</typeparam>
    /// <param name="model">Any ML.NET transformer, for example a keypoint model or what <c>mlContext.Model.Load</c>
    /// returns.</param>
    public PredictionEngine<TSrc, TDst> CreatePredictionEngine<TSrc, TDst>(ITransformer model)
        where TSrc : class
        where TDst : class, new()
    {
        ArgumentNullException.ThrowIfNull(model);
        return mlContext.Model.CreatePredictionEngine<TSrc, TDst>(
            model,
            new PredictionEngineOptions { OwnsTransformer = false }
        );
    }

    /// <summary><see cref="LoadModel(string)"/>, for a caller that knows the kind of model in the file.</summary>
    /// <typeparam name="TModel"><see cref="KeypointCnnModel"/> or <see cref="KeypointImageModel"/>.</typeparam>
    /// <param name="path">The model file.</param>
    /// <exception cref="InvalidDataException">As <see cref="LoadModel(string)"/>, or the file holds the other kind of
    /// model.</exception>
    public TModel LoadModel<TModel>(string path)
        where TModel : class, IKeypointModel => Typed<TModel>(LoadModel(path), path);

    /// <summary><see cref="LoadModel(byte[], string)"/>, for a caller that knows the kind of model in the
    /// bytes.</summary>
    /// <typeparam name="TModel"><see cref="KeypointCnnModel"/> or <see cref="KeypointImageModel"/>.</typeparam>
    /// <param name="modelBytes">The bytes of a model zip or a bare <c>.onnx</c>.</param>
    /// <param name="source">Where the bytes came from, named in error messages.</param>
    /// <exception cref="InvalidDataException">As <see cref="LoadModel(byte[], string)"/>, or the bytes hold the other
    /// kind of model.</exception>
    public TModel LoadModel<TModel>(byte[] modelBytes, string source)
        where TModel : class, IKeypointModel => Typed<TModel>(LoadModel(modelBytes, source), source);

    private static TModel Typed<TModel>(IKeypointModel model, string source)
        where TModel : class, IKeypointModel
    {
        if (model is TModel typed)
            return typed;
        model.Dispose();
        throw new InvalidDataException(
            $"Model file '{source}' holds a {model.GetType().Name}, not a {typeof(TModel).Name}."
        );
    }
}
