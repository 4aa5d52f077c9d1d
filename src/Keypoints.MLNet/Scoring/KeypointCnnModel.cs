using Keypoints.MLNet.Data;
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
    private readonly MLContext mlContext;
    private readonly OnnxTransformer onnx;
    private readonly byte[] graph;
    private readonly GraphExportSettings settings;
    private readonly IDataView schemaSource;
    private readonly bool ownsEnsemble;

    internal KeypointCnnModel(MLContext mlContext, KeypointEnsemble ensemble, GraphExportSettings settings,
        IReadOnlyDictionary<string, IReadOnlyList<EpochReport>> specialistHistories,
        IDataView schemaSource, bool ownsEnsemble = true)
    {
        this.mlContext = mlContext;
        this.settings = settings;
        this.schemaSource = schemaSource;
        this.ownsEnsemble = ownsEnsemble;
        graph = KeypointGraphExporter.Export(ensemble, settings);
        Ensemble = ensemble;
        SpecialistHistories = specialistHistories;
        using var stream = new MemoryStream(graph, writable: false);
        onnx = mlContext.Transforms.ApplyOnnxModel(settings.OutputName, settings.InputName, stream).Fit(schemaSource);
    }

    /// <summary>The keypoint set the model predicts, and the image size its coordinates refer to.</summary>
    public KeypointLayout Layout => settings.Layout;

    /// <summary>Per-epoch training history of the (base) network: train loss, validation RMSE in pixels, learning rate, speed.</summary>
    public IReadOnlyList<EpochReport> History => settings.History;

    /// <summary>Per-epoch training history of each specialist, by keypoint group name; empty without specialists.
    /// A specialist's validation RMSE covers its own group's coordinates only.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<EpochReport>> SpecialistHistories { get; }

    /// <summary>Whether scoring averages each prediction with the un-mirrored prediction of the mirrored face.</summary>
    public bool TestTimeFlip => settings.TestTimeFlip;

    /// <summary>Where training found the labels' mirror axis, in pixels right of the image's center line (0 without
    /// <see cref="KeypointCnnTrainer.Options.CalibrateFlipAxis"/> or flips): a face's mirror image has its keypoints at
    /// <c>W - 1 + 2 * FlipAxisOffset - x</c>. The test-time flip un-mirrors about it.</summary>
    public double FlipAxisOffset => settings.FlipAxisOffset;

    /// <summary>The input column of pixel values.</summary>
    public string FeatureColumnName => settings.InputName;

    /// <summary>The output column of <c>2K</c> predicted pixel coordinates.</summary>
    public string PredictedColumnName => settings.OutputName;

    /// <summary>The trained TorchSharp networks (for tests and fine-tuning).</summary>
    internal KeypointEnsemble Ensemble { get; }

    /// <summary>The ONNX graph bytes.</summary>
    internal ReadOnlySpan<byte> OnnxGraph => graph;

    /// <inheritdoc/>
    public bool IsRowToRowMapper => ((ITransformer)onnx).IsRowToRowMapper;

    /// <summary>The same trained networks scored with test-time flip averaging turned on or off, for example to measure
    /// what it gives. The returned model shares this model's networks: dispose it before this one.</summary>
    /// <param name="enabled">Whether the returned model averages with the mirrored face's prediction.</param>
    public KeypointCnnModel WithTestTimeFlip(bool enabled) =>
        new(mlContext, Ensemble, settings with { TestTimeFlip = enabled }, SpecialistHistories, schemaSource, ownsEnsemble: false);

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
    /// <exception cref="ArgumentOutOfRangeException">The pixel column is missing or its size is not the network's input size;
    /// the message names the column, the size the model expects and the type found.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => onnx.GetOutputSchema(RequireInput(inputSchema));

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)onnx).GetRowToRowMapper(RequireInput(inputSchema));

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The pixel column is missing or its size is not the network's input size;
    /// the message names the column, the size the model expects and the type found.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        RequireInput(input.Schema);
        return onnx.Transform(input);
    }

    /// <summary>Checks the pixel column before ONNX Runtime does: its message ("Input shape mismatch ... input data is of
    /// length 16384") comes only when the first row is scored, and does not say what the sizes mean.</summary>
    private DataViewSchema RequireInput(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var input = Ensemble.Input;
        SchemaChecks.RequireSingleVector(inputSchema, FeatureColumnName, "pixel", input.Size,
            $"the model's input of {input.Width} x {input.Height} pixels, {input.Channels} channel{(input.Channels == 1 ? "" : "s")}");
        return inputSchema;
    }

    /// <summary>Saves as the inner ONNX transformer, so the model loads back without this library.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)onnx).Save(ctx);

    /// <inheritdoc/>
    public void Dispose()
    {
        onnx.Dispose();
        if (ownsEnsemble)
            Ensemble.Dispose();
    }
}
