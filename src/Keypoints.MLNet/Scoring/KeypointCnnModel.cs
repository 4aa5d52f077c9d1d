using Keypoints.MLNet.Data;
using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Onnx;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace Keypoints.MLNet.Scoring;

/// <summary>
/// A trained keypoint network: an ONNX graph that maps raw pixel values to keypoint coordinates in pixels, with its
/// <see cref="KeypointModelMetadata"/> record inside, scored by ML.NET's <see cref="OnnxTransformer"/>.
/// <c>mlContext.Model.Save</c> stores it as that ONNX transformer, so a saved model loads and scores with plain ML.NET
/// and ONNX Runtime, without this library or TorchSharp; <c>mlContext.Keypoints.LoadModel</c> gives this type back.
/// </summary>
/// <remarks>
/// The model holds graph bytes and metadata only: no TorchSharp networks, no training data. The ML.NET transformer (and
/// with it an ONNX Runtime session) is made on first use, so a model used only through
/// <c>mlContext.Keypoints.Photos</c>, which scores the graph bytes in a session of its own, never makes one
/// (docs/decisions.md#transformer-on-first-use).
/// </remarks>
public sealed class KeypointCnnModel : IKeypointModel
{
    private readonly MLContext mlContext;
    private readonly CreatedOnFirstUse<OnnxTransformer> transformer;
    private readonly byte[] graph;

    internal KeypointCnnModel(MLContext mlContext, byte[] graph, KeypointModelMetadata metadata)
    {
        this.mlContext = mlContext;
        this.graph = graph;
        Metadata = metadata;
        transformer = new(
            () =>
            {
                using var stream = new MemoryStream(graph, writable: false);
                return mlContext
                    .Transforms.ApplyOnnxModel(metadata.OutputColumnName, metadata.InputColumnName, stream)
                    .Fit(EmptyInput(mlContext, metadata));
            },
            this
        );
    }

    private OnnxTransformer Transformer => transformer.Value;

    /// <summary>Everything the model records about itself (the record stored in its graph).</summary>
    public KeypointModelMetadata Metadata { get; }

    /// <summary>The keypoint set the model predicts, and the image size its coordinates refer to.</summary>
    public KeypointLayout Layout => Metadata.Layout;

    /// <summary>Per-epoch training history of the (base) network: train loss, validation RMSE in pixels, learning rate,
    /// speed.</summary>
    public IReadOnlyList<EpochReport> History => Metadata.History;

    /// <summary>Per-epoch training history of each specialist, by keypoint group name; empty without specialists.
    /// A specialist's validation RMSE covers its own group's coordinates only.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EpochReport>> SpecialistHistories => Metadata.SpecialistHistories;

    /// <summary>Whether scoring averages each prediction with the un-mirrored prediction of the mirrored
    /// face.</summary>
    public bool TestTimeFlip => Metadata.TestTimeFlip;

    /// <summary>Where training found the labels' mirror axis, in pixels right of the image's center line (0 without
    /// flip-axis calibration or flips): a face's mirror image has its keypoints at
    /// <c>W - 1 + 2 * FlipAxisOffset - x</c>. The test-time flip un-mirrors about it.</summary>
    public double FlipAxisOffset => Metadata.FlipAxisOffset;

    /// <summary>How the training faces were framed (eye midpoint and inter-ocular distance as fractions of the frame
    /// width); null when the layout names no eyes.</summary>
    public FaceFraming? Framing => Metadata.Framing;

    /// <summary>The input column of pixel values.</summary>
    public string FeatureColumnName => Metadata.InputColumnName;

    /// <summary>The output column of <c>2K</c> predicted pixel coordinates.</summary>
    public string PredictedColumnName => Metadata.OutputColumnName;

    /// <summary>The ONNX graph bytes.</summary>
    internal ReadOnlySpan<byte> OnnxGraph => graph;

    /// <inheritdoc/>
    public bool IsRowToRowMapper => ((ITransformer)Transformer).IsRowToRowMapper;

    /// <summary>The same trained networks scored with test-time flip averaging turned on or off, for example to measure
    /// what it gives; works on a fitted and on a loaded model alike. The returned model is independent of this one
    /// (dispose each).</summary>
    /// <param name="enabled">Whether the returned model averages with the mirrored face's prediction.</param>
    public KeypointCnnModel WithTestTimeFlip(bool enabled)
    {
        // The flip is a wrapper around the plain graph (Export/TestTimeFlipGraph), so it is added or taken off the
        // bytes this model holds: no TorchSharp networks are needed, and a model loaded from a file switches as a
        // fitted one does.
        var (switched, metadata) = TestTimeFlipGraph.Switch(graph, Metadata, enabled);
        return new KeypointCnnModel(mlContext, switched, metadata);
    }

    /// <inheritdoc/>
    IKeypointModel IKeypointModel.WithTestTimeFlip(bool enabled) => WithTestTimeFlip(enabled);

    /// <summary>The same model with <paramref name="terms"/> as the terms its metadata record names (<see
    /// cref="KeypointModelMetadata.Terms"/>), for example to export a model with the terms of its training data. The
    /// returned model is independent of this one (dispose each).</summary>
    /// <param name="terms">The terms, one sentence; null to record none.</param>
    public KeypointCnnModel WithTerms(string? terms)
    {
        var metadata = Metadata with { Terms = terms };
        return new KeypointCnnModel(
            mlContext,
            OnnxModelReader.WithMetadata(graph, KeypointModelMetadata.Key, metadata.ToJson()),
            metadata
        );
    }

    /// <inheritdoc/>
    IKeypointModel IKeypointModel.WithTerms(string? terms) => WithTerms(terms);

    /// <summary>Writes the standalone ONNX graph (raw pixels in, pixel coordinates out, the metadata record inside) to
    /// <paramref name="path"/> as the model holds it, through a temporary file and a rename so a reader never sees a
    /// partial file.</summary>
    public void ExportOnnx(string path) => WriteAtomically(path, graph);

    /// <summary>Writes the standalone ONNX graph as <see cref="ExportOnnx(string)"/> does, with its convolution kernels
    /// and fully connected matrices stored as <paramref name="weights"/> says (biases, batch-norm parameters and
    /// constants stay float32; the graph widens each weight back to float32, so its inputs, outputs and metadata record
    /// are unchanged). The file loads back with <c>mlContext.Keypoints.LoadModel</c> and ML.NET's
    /// <c>ApplyOnnxModel</c>, and fine-tuning can start from it. Weights that the model already holds compressed (a
    /// model loaded from such a file) keep their form.</summary>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <param name="weights">How to store the weights: <see cref="OnnxWeightFormat.Float16"/> halves the file,
    /// <see cref="OnnxWeightFormat.Int8"/> quarters it.</param>
    public void ExportOnnx(string path, OnnxWeightFormat weights) =>
        WriteAtomically(path, OnnxWeightCompression.Apply(graph, weights));

    private static void WriteAtomically(string path, byte[] bytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The pixel column is missing or its size is not the network's input
    /// size; the message names the column, the size the model expects and the type found.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) =>
        Transformer.GetOutputSchema(RequireInput(inputSchema));

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        ((ITransformer)Transformer).GetRowToRowMapper(RequireInput(inputSchema));

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The pixel column is missing or its size is not the network's input
    /// size; the message names the column, the size the model expects and the type found.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireInput(input.Schema);
        return Transformer.Transform(input);
    }

    /// <summary>Checks the pixel column before ONNX Runtime does: its message ("Input shape mismatch ... input data is
    /// of length 16384") comes only when the first row is scored, and does not say what the sizes mean.</summary>
    private DataViewSchema RequireInput(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        int width = Metadata.Layout.ImageWidth,
            height = Metadata.Layout.ImageHeight,
            channels = Metadata.Channels;
        SchemaChecks.RequireSingleVector(
            inputSchema,
            FeatureColumnName,
            "pixel",
            channels * height * width,
            $"the model's input of {width} x {height} pixels, {channels} channel{(channels == 1 ? "" : "s")}"
        );
        return inputSchema;
    }

    /// <summary>Saves as the inner ONNX transformer, so the model loads back without this library.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)Transformer).Save(ctx);

    /// <inheritdoc/>
    public void Dispose() => transformer.Dispose();

    // ML.NET's ONNX estimator checks the input schema when it fits; an empty view with the input column is all it
    // reads.
    private static IDataView EmptyInput(MLContext mlContext, KeypointModelMetadata metadata)
    {
        var definition = SchemaDefinition.Create(typeof(PixelRow));
        definition[0].ColumnName = metadata.InputColumnName;
        definition[0].ColumnType = new VectorDataViewType(
            NumberDataViewType.Single,
            metadata.Channels * metadata.Layout.ImageHeight * metadata.Layout.ImageWidth
        );
        return mlContext.Data.LoadFromEnumerable(Array.Empty<PixelRow>(), definition);
    }

    /// <summary>The model in <paramref name="path"/> (a zip saved by <c>mlContext.Model.Save</c>, or a bare
    /// <c>.onnx</c>), typed.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file holds no keypoint model this version reads; one line that names
    /// the file.</exception>
    internal static IKeypointModel Load(MLContext mlContext, string path) =>
        Load(mlContext, KeypointModelFile.Read(path));

    /// <summary>The model that <paramref name="file"/> holds, typed.</summary>
    internal static IKeypointModel Load(MLContext mlContext, KeypointModelFile file)
    {
        var network = new KeypointCnnModel(mlContext, file.Graph, file.Metadata);
        if (file.Metadata.ImageFiles is null)
            return network;
        try
        {
            return KeypointImageModel.Create(mlContext, network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private sealed class PixelRow
    {
        public float[] Pixels { get; set; } = [];
    }
}
