using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Image;

namespace Keypoints.MLNet.Photos;

/// <summary>
/// Every face's keypoints in photos, as one saveable ML.NET model: from an input column of image file paths to, per
/// photo,
/// <see cref="FaceCountColumnName"/> and, for up to <see cref="MaxFaces"/> faces highest score first,
/// <see cref="FaceScoresColumnName"/>, <see cref="FaceBoxesColumnName"/> and <see cref="FaceKeypointsColumnName"/>, all
/// in the photo's own pixels (pixel centres at integers). The chain is made of ML.NET's own transformers only
/// (<c>LoadRawImageBytes</c>, <c>LoadImages</c>, <c>ResizeImages</c>, <c>ExtractPixels</c>, <c>ApplyOnnxModel</c>,
/// <c>DropColumns</c>), with detection, framing, cropping, the keypoint network and the map back in one ONNX graph, so
/// <c>mlContext.Model.Save</c> writes a model that an application loads with <c>mlContext.Model.Load</c> and scores
/// with ML.NET, its ImageAnalytics and ONNX Runtime alone, without this library or TorchSharp.
/// </summary>
/// <remarks>
/// <para>ML.NET carries no varying number of faces in a column, so each face column holds <see cref="MaxFaces"/> faces:
/// face <c>f</c>'s score at <c>[f]</c>, its box (left, top, width, height) at <c>[4f .. 4f + 3]</c>, its keypoints
/// <c>x0, y0, x1, y1, ...</c> (in the order of <see cref="KeypointNames"/>) at <c>[2Kf ..]</c>; past the count, scores
/// are 0 and boxes and keypoints NaN. <see cref="PhotoSizeColumnName"/> gives the width and height read from the
/// file.</para>
/// <para>Each photo is fitted into a <see cref="KeypointPhotoModelOptions.WorkingSize"/> square before detection
/// (ML.NET's pipeline needs one size), and its size in pixels is read from the file's header: JPEG, PNG, GIF, BMP and
/// WebP files; any other format gives a count of 0 and a size of 0 x 0. Compared with <see
/// cref="FaceKeypointsPredictor"/> (the C# pipeline, tent-filtered crops at the photo's full resolution), crops here
/// are bilinear samples of a pyramid of the working frame.</para>
/// <para>In this process each file is checked before ML.NET's <c>LoadImages</c> decodes it (<see
/// cref="KeypointPhotoModelOptions.ImageLimits"/>): a photo over the limits, empty, truncated or corrupt is refused
/// with an <see cref="InvalidDataException"/> naming the file. The saved chain has no such check: loaded with
/// <c>mlContext.Model.Load</c>, it decodes whatever file it is given (a 1.1 MB PNG that declares 20000 x 20000
/// pixels took 14 s and 3.2 GB; docs/photos.md, "Limits").</para>
/// </remarks>
public sealed class KeypointPhotoModel : ITransformer, IDisposable
{
    /// <summary>Output column: the number of faces found, a float.</summary>
    public const string FaceCountColumnName = PhotoFacesGraph.FaceCountName;

    /// <summary>Output column: <see cref="MaxFaces"/> detector scores.</summary>
    public const string FaceScoresColumnName = PhotoFacesGraph.FaceScoresName;

    /// <summary>Output column: <see cref="MaxFaces"/> boxes, (left, top, width, height) each, in photo
    /// pixels.</summary>
    public const string FaceBoxesColumnName = PhotoFacesGraph.FaceBoxesName;

    /// <summary>Output column: <see cref="MaxFaces"/> times 2K keypoint coordinates in photo pixels.</summary>
    public const string FaceKeypointsColumnName = PhotoFacesGraph.FaceKeypointsName;

    /// <summary>Output column: the photo's width and height in pixels, read from its file.</summary>
    public const string PhotoSizeColumnName = PhotoFacesGraph.PhotoSizeName;

    private const string ImageColumnName = "PhotoImage";
    private const string WorkingFrameColumnName = "PhotoWorkingFrame";

    // The saved chain, made of ML.NET's transformers alone; and the same chain behind the in-process file check, which
    // every Transform and row mapper goes through.
    private readonly TransformerChain<ITransformer> chain;
    private readonly TransformerChain<ITransformer> guarded;

    private KeypointPhotoModel(
        TransformerChain<ITransformer> chain,
        ITransformer guard,
        IReadOnlyList<string> keypointNames,
        KeypointPhotoModelOptions options
    )
    {
        this.chain = chain;
        guarded = new TransformerChain<ITransformer>(guard, chain);
        KeypointNames = keypointNames;
        MaxFaces = options.MaxFaces;
        ImagePathColumnName = options.ImagePathColumnName;
    }

    /// <summary>The model's keypoint names, in the order of each face's coordinates.</summary>
    public IReadOnlyList<string> KeypointNames { get; }

    /// <summary>How many faces each output column holds.</summary>
    public int MaxFaces { get; }

    /// <summary>The input column of image file paths.</summary>
    public string ImagePathColumnName { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => ((ITransformer)guarded).IsRowToRowMapper;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => guarded.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        ((ITransformer)guarded).GetRowToRowMapper(inputSchema);

    /// <summary>Scores the photos of <paramref name="input"/>, lazily; reading a row whose file is refused (see <see
    /// cref="KeypointPhotoModelOptions.ImageLimits"/>) throws an <see cref="InvalidDataException"/> naming the
    /// file.</summary>
    public IDataView Transform(IDataView input) => guarded.Transform(input);

    /// <summary>Saves as the chain of ML.NET transformers, without the in-process file check.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)chain).Save(ctx);

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => chain.Dispose();

    /// <summary>Builds the chain around a keypoint model's network.</summary>
    internal static KeypointPhotoModel Create(
        MLContext mlContext,
        IKeypointModel model,
        KeypointPhotoModelOptions? options
    )
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new KeypointPhotoModelOptions();
        options.Validate();
        var network = NetworkOf(model);
        byte[] graph = PhotoFacesGraph.Create(network, FramingOf(network, options), options);
        using var stream = new MemoryStream(graph, writable: false);
        var paths = EmptyPaths(mlContext, options.ImagePathColumnName);
        var fitted = Chain(mlContext.Transforms, options, stream).Fit(paths);
        return new KeypointPhotoModel(
            new TransformerChain<ITransformer>([.. fitted]),
            PhotoFileGuard.Fit(mlContext, options.ImagePathColumnName, options.ImageLimits, paths),
            network.Metadata.Layout.KeypointNames,
            options
        );
    }

    private static KeypointCnnModel NetworkOf(IKeypointModel model) =>
        model switch
        {
            KeypointCnnModel c => c,
            KeypointImageModel i => i.Network,
            _ => throw new ArgumentException(
                $"A {model.GetType().Name} cannot score photos; expected a model from LoadModel.",
                nameof(model)
            ),
        };

    private static FaceFraming FramingOf(KeypointCnnModel network, KeypointPhotoModelOptions options) =>
        options.Framing
        ?? network.Metadata.Framing
        ?? throw new ArgumentException(
            $"The model's layout '{network.Metadata.Layout.Name}' names no eyes, so it records no framing; set "
                + $"{nameof(KeypointPhotoModelOptions)}.{nameof(KeypointPhotoModelOptions.Framing)}.",
            nameof(options)
        );

    /// <summary>Paths → file bytes and decoded image → working frame → RGB bytes → the photo graph's columns.</summary>
    private static EstimatorChain<ColumnSelectingTransformer> Chain(
        TransformsCatalog transforms,
        KeypointPhotoModelOptions options,
        Stream graph
    )
    {
        string path = options.ImagePathColumnName;
        int side = options.WorkingSize;
        return transforms
            .LoadRawImageBytes(PhotoFacesGraph.FileBytesName, imageFolder: null, path)
            .Append(transforms.LoadImages(ImageColumnName, imageFolder: null, path))
            .Append(
                transforms.ResizeImages(
                    WorkingFrameColumnName,
                    side,
                    side,
                    ImageColumnName,
                    ImageResizingEstimator.ResizingKind.IsoPad
                )
            )
            .Append(
                transforms.ExtractPixels(
                    PhotoFacesGraph.PixelsName,
                    WorkingFrameColumnName,
                    ImagePixelExtractingEstimator.ColorBits.Rgb,
                    ImagePixelExtractingEstimator.ColorsOrder.ARGB,
                    interleavePixelColors: true,
                    outputAsFloatArray: false
                )
            )
            .Append(
                transforms.ApplyOnnxModel(
                    [
                        FaceCountColumnName,
                        FaceScoresColumnName,
                        FaceBoxesColumnName,
                        FaceKeypointsColumnName,
                        PhotoSizeColumnName,
                    ],
                    [PhotoFacesGraph.FileBytesName, PhotoFacesGraph.PixelsName],
                    graph
                )
            )
            .Append(
                transforms.DropColumns(
                    PhotoFacesGraph.FileBytesName,
                    ImageColumnName,
                    WorkingFrameColumnName,
                    PhotoFacesGraph.PixelsName
                )
            );
    }

    private static IDataView EmptyPaths(MLContext mlContext, string column)
    {
        var definition = SchemaDefinition.Create(typeof(PathRow));
        definition[0].ColumnName = column;
        return mlContext.Data.LoadFromEnumerable(Array.Empty<PathRow>(), definition);
    }

    private sealed class PathRow
    {
        public string Path { get; set; } = "";
    }
}
