using Keypoints.MLNet.Export;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Scoring;

/// <summary>
/// A keypoint model that reads image files: image loading, resize and pixel extraction, the ONNX network, and an ONNX
/// graph that maps the predictions back to the coordinates of each original image, chained as ML.NET transformers.
/// <c>mlContext.Model.Save</c> stores it as that <see cref="TransformerChain{TLastTransformer}"/>, which loads back
/// with ML.NET, ImageAnalytics and ONNX Runtime (and this assembly for the stateless image-size glue);
/// <c>mlContext.Keypoints.LoadModel</c> gives this type back.
/// </summary>
/// <remarks>
/// The chain is built from the network's <see cref="KeypointModelMetadata"/> alone (its <see
/// cref="KeypointModelMetadata.ImageFiles"/> part names the columns and sizes), both after training and after loading,
/// so a fitted and a loaded model are the same chain. It is built on first use, as the network's transformer is (see
/// <see cref="KeypointCnnModel"/>).
/// </remarks>
public sealed class KeypointImageModel : IKeypointModel
{
    private readonly CreatedOnFirstUse<TransformerChain<ITransformer>> lazyChain;
    private readonly MLContext mlContext;

    private KeypointImageModel(MLContext mlContext, KeypointCnnModel network, KeypointImageFilesMetadata files)
    {
        this.mlContext = mlContext;
        Network = network;
        Layout = network.Metadata.Layout.WithImageSize(files.ImageWidth, files.ImageHeight);
        PredictedColumnName = files.PredictedColumn;
        lazyChain = new(() => BuildChain(mlContext, network, files), this);
    }

    private TransformerChain<ITransformer> Chain => lazyChain.Value;

    /// <summary>The network on the resized images; its <see cref="KeypointCnnModel.Layout"/> has the input size,
    /// its <see cref="KeypointCnnModel.History"/> the training history.</summary>
    public KeypointCnnModel Network { get; }

    /// <summary>Everything the model records about itself (the network's record, with its image-file part).</summary>
    public KeypointModelMetadata Metadata => Network.Metadata;

    /// <summary>The keypoint set, with the image size of the training data's first image.</summary>
    public KeypointLayout Layout { get; }

    /// <summary>The input column of image file paths.</summary>
    public string ImagePathColumnName => Network.Metadata.ImageFiles!.ImagePathColumn;

    /// <summary>The output column of <c>2K</c> predicted pixel coordinates in each original image.</summary>
    public string PredictedColumnName { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => ((ITransformer)Chain).IsRowToRowMapper;

    /// <summary>The same model with <paramref name="terms"/> as the terms its metadata record names; see <see
    /// cref="KeypointCnnModel.WithTerms(string?)"/>.</summary>
    public KeypointImageModel WithTerms(string? terms) => Create(mlContext, Network.WithTerms(terms));

    /// <inheritdoc/>
    IKeypointModel IKeypointModel.WithTerms(string? terms) => WithTerms(terms);

    /// <summary>The same model with the network's test-time flip on or off; see <see
    /// cref="KeypointCnnModel.WithTestTimeFlip(bool)"/>.</summary>
    public KeypointImageModel WithTestTimeFlip(bool enabled) => Create(mlContext, Network.WithTestTimeFlip(enabled));

    /// <inheritdoc/>
    IKeypointModel IKeypointModel.WithTestTimeFlip(bool enabled) => WithTestTimeFlip(enabled);

    /// <summary>Writes the network's standalone ONNX graph (pixels of the resized image in, coordinates in the resized
    /// frame out, the metadata record inside); see <see cref="KeypointCnnModel.ExportOnnx(string)"/>.</summary>
    public void ExportOnnx(string path) => Network.ExportOnnx(path);

    /// <summary>Writes the network's standalone ONNX graph with its weights stored as <paramref name="weights"/> says;
    /// see
    /// <see cref="KeypointCnnModel.ExportOnnx(string, OnnxWeightFormat)"/>.</summary>
    public void ExportOnnx(string path, OnnxWeightFormat weights) => Network.ExportOnnx(path, weights);

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Chain.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        ((ITransformer)Chain).GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => Chain.Transform(input);

    /// <summary>Saves as the chain of ML.NET transformers.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)Chain).Save(ctx);

    /// <inheritdoc/>
    public void Dispose()
    {
        lazyChain.Dispose();
        Network.Dispose();
    }

    /// <summary>Builds the image-file chain around <paramref name="network"/>, whose metadata must have an image-file
    /// part; takes ownership of <paramref name="network"/>.</summary>
    internal static KeypointImageModel Create(MLContext mlContext, KeypointCnnModel network) =>
        new(
            mlContext,
            network,
            network.Metadata.ImageFiles
                ?? throw new ArgumentException("The network's metadata has no image-file part.", nameof(network))
        );

    private static TransformerChain<ITransformer> BuildChain(
        MLContext mlContext,
        KeypointCnnModel network,
        KeypointImageFilesMetadata files
    )
    {
        var metadata = network.Metadata;
        var frame = metadata.Layout;
        var paths = mlContext.Data.LoadFromEnumerable(Array.Empty<PathRow>(), PathSchema(files.ImagePathColumn));
        var featurizer = ImageFeaturizer
            .Create(
                mlContext,
                files.ImagePathColumn,
                metadata.InputColumnName,
                frame.ImageWidth,
                frame.ImageHeight,
                metadata.Channels
            )
            .Fit(paths);
        byte[] graph = ImageFrameGraph.Create(
            metadata.OutputColumnName,
            ImageFeaturizer.ImageSizeColumnName,
            files.PredictedColumn,
            frame,
            toFrame: false
        );
        using var stream = new MemoryStream(graph, writable: false);
        var fromFrame = mlContext
            .Transforms.ApplyOnnxModel(
                [files.PredictedColumn],
                [metadata.OutputColumnName, ImageFeaturizer.ImageSizeColumnName],
                stream
            )
            .Fit(network.Transform(featurizer.Transform(paths)));
        return new TransformerChain<ITransformer>(featurizer, network, fromFrame);
    }

    private static SchemaDefinition PathSchema(string column)
    {
        var definition = SchemaDefinition.Create(typeof(PathRow));
        definition[0].ColumnName = column;
        return definition;
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }
}
