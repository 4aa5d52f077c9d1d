using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace Keypoints.MLNet.Scoring;

/// <summary>
/// A trained keypoint network, scored by ML.NET's <see cref="OnnxTransformer"/> over a generated ONNX
/// graph that maps raw pixel values to keypoint coordinates in pixels. <c>mlContext.Model.Save</c>
/// stores it as that ONNX transformer, so a saved model loads and scores with plain ML.NET and ONNX
/// Runtime, without this library or TorchSharp.
/// </summary>
public sealed class KeypointCnnModel : ITransformer, IDisposable
{
    private readonly OnnxTransformer onnx;
    private readonly byte[] graph;

    internal KeypointCnnModel(MLContext mlContext, byte[] graph, KeypointLayout layout, IReadOnlyList<EpochReport> history,
        IDataView schemaSource, KeypointNetwork? network, string featureColumnName, string predictedColumnName)
    {
        this.graph = graph;
        Layout = layout;
        History = history;
        Network = network;
        FeatureColumnName = featureColumnName;
        PredictedColumnName = predictedColumnName;
        using var stream = new MemoryStream(graph, writable: false);
        onnx = mlContext.Transforms.ApplyOnnxModel(predictedColumnName, featureColumnName, stream).Fit(schemaSource);
    }

    /// <summary>The keypoint set the model predicts, and the image size its coordinates refer to.</summary>
    public KeypointLayout Layout { get; }

    /// <summary>Per-epoch training history: train loss, validation RMSE in pixels, learning rate, speed.</summary>
    public IReadOnlyList<EpochReport> History { get; }

    /// <summary>The input column of pixel values.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The output column of <c>2K</c> predicted pixel coordinates.</summary>
    public string PredictedColumnName { get; }

    /// <summary>The trained TorchSharp network, while this object lives (for tests and fine-tuning); null for a model built from a graph alone.</summary>
    internal KeypointNetwork? Network { get; }

    /// <summary>The ONNX graph bytes.</summary>
    internal ReadOnlySpan<byte> OnnxGraph => graph;

    /// <inheritdoc/>
    public bool IsRowToRowMapper => ((ITransformer)onnx).IsRowToRowMapper;

    /// <summary>Writes the standalone ONNX graph (raw pixels in, pixel coordinates out) to <paramref name="path"/>,
    /// through a temporary file and a rename so a reader never sees a partial file.</summary>
    public void ExportOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllBytes(temp, graph);
        File.Move(temp, full, overwrite: true);
    }

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => onnx.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)onnx).GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => onnx.Transform(input);

    /// <summary>Saves as the inner ONNX transformer, so the model loads back without this library.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)onnx).Save(ctx);

    /// <inheritdoc/>
    public void Dispose()
    {
        onnx.Dispose();
        Network?.Dispose();
    }
}
