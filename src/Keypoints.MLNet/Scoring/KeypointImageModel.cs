using Keypoints.MLNet.Layouts;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Scoring;

/// <summary>
/// A keypoint model that reads image files: image loading, resize and pixel extraction, the ONNX network, and an ONNX
/// graph that maps the predictions back to the coordinates of each original image, chained as ML.NET transformers.
/// <c>mlContext.Model.Save</c> stores it as that <see cref="TransformerChain{TLastTransformer}"/>, which loads back with ML.NET,
/// ImageAnalytics and ONNX Runtime (and this assembly for the stateless image-size glue).
/// </summary>
public sealed class KeypointImageModel : ITransformer, IDisposable
{
    private readonly TransformerChain<ITransformer> chain;

    internal KeypointImageModel(ITransformer featurizer, KeypointCnnModel network, ITransformer fromFrame, KeypointLayout layout,
        string predictedColumnName)
    {
        chain = new TransformerChain<ITransformer>(featurizer, network, fromFrame);
        Network = network;
        Layout = layout;
        PredictedColumnName = predictedColumnName;
    }

    /// <summary>The network on the resized images; its <see cref="KeypointCnnModel.Layout"/> has the input size,
    /// its <see cref="KeypointCnnModel.History"/> the training history.</summary>
    public KeypointCnnModel Network { get; }

    /// <summary>The keypoint set, with the image size of the training data's first image.</summary>
    public KeypointLayout Layout { get; }

    /// <summary>The output column of <c>2K</c> predicted pixel coordinates in each original image.</summary>
    public string PredictedColumnName { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => ((ITransformer)chain).IsRowToRowMapper;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => chain.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)chain).GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => chain.Transform(input);

    /// <summary>Saves as the chain of ML.NET transformers.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)chain).Save(ctx);

    /// <inheritdoc/>
    public void Dispose()
    {
        chain.Dispose();
        Network.Dispose();
    }
}
