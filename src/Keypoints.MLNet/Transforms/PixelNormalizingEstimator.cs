using Keypoints.MLNet.Data;
using Keypoints.MLNet.Export;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Transforms;

/// <summary>
/// Maps a vector of pixel values to <c>(value - offset) * scale</c>, at training and at prediction time.
/// The fitted transformer is made of ML.NET's own ONNX, copy and drop transformers, so it is saved
/// and loaded by <c>mlContext.Model.Save</c>/<c>Load</c> without this library.
/// </summary>
public sealed class PixelNormalizingEstimator : IEstimator<ITransformer>
{
    private readonly TransformsCatalog catalog;

    /// <summary>Creates the estimator; prefer <c>mlContext.Transforms.Keypoints.NormalizePixels(...)</c>.</summary>
    /// <param name="catalog">The transforms catalog of the <see cref="MLContext"/>.</param>
    /// <param name="outputColumnName">Column that receives the normalized vector.</param>
    /// <param name="inputColumnName">Column of pixel values (a known-size vector of Single); the output column when
    /// null.</param>
    /// <param name="offset">Subtracted from each value first (grey levels).</param>
    /// <param name="scale">Multiplies each value after the offset; the default maps grey levels 0-255 to [0,
    /// 1].</param>
    public PixelNormalizingEstimator(
        TransformsCatalog catalog,
        string outputColumnName,
        string? inputColumnName = null,
        float offset = 0f,
        float scale = 1f / 255f
    )
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputColumnName);
        if (scale == 0 || !float.IsFinite(scale) || !float.IsFinite(offset))
        {
            throw new ArgumentOutOfRangeException(
                nameof(scale),
                scale,
                "Scale must be finite and non-zero, and offset finite."
            );
        }

        this.catalog = catalog;
        OutputColumnName = outputColumnName;
        InputColumnName = inputColumnName ?? outputColumnName;
        Offset = offset;
        Scale = scale;
    }

    /// <summary>Column that receives the normalized vector.</summary>
    public string OutputColumnName { get; }

    /// <summary>Column of pixel values.</summary>
    public string InputColumnName { get; }

    /// <summary>Subtracted from each value before scaling.</summary>
    public float Offset { get; }

    /// <summary>Multiplies each value after the offset.</summary>
    public float Scale { get; }

    /// <summary>Builds the transformer for the input column's vector size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a known-size vector of
    /// Single.</exception>
    public ITransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = SchemaChecks.RequireSingleVector(input.Schema, InputColumnName, "pixel");
        return Build(((VectorDataViewType)column.Type).Size).Fit(input);
    }

    /// <summary>The input schema plus <see cref="OutputColumnName"/>, a vector of Single of the input's size.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SchemaChecks.RequireSingleVector(inputSchema, InputColumnName, "pixel");
        // SchemaShape carries no vector size, so any size describes the output's shape.
        return Build(1).GetOutputSchema(inputSchema);
    }

    private IEstimator<ITransformer> Build(int size)
    {
        bool inPlace = OutputColumnName == InputColumnName;
        string graphOutput = inPlace ? OutputColumnName + "__normalized" : OutputColumnName;
        using var stream = new MemoryStream(
            PixelNormalizationGraph.Create(InputColumnName, graphOutput, size, Offset, Scale),
            writable: false
        );
        IEstimator<ITransformer> estimator = catalog.ApplyOnnxModel(graphOutput, InputColumnName, stream);
        if (inPlace)
        {
            estimator = estimator
                .Append(catalog.CopyColumns(OutputColumnName, graphOutput))
                .Append(catalog.DropColumns(graphOutput));
        }
        return estimator;
    }
}
