using Keypoints.MLNet.Data;
using Keypoints.MLNet.Export;
using Keypoints.MLNet.Images;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keypoints.MLNet.Estimators;

/// <summary>
/// Trains a keypoint CNN on image files of any size: loads each image (ML.NET ImageAnalytics), resizes it to the
/// network's input size, maps its labels into that frame with the same affine map as the pixels
/// (<c>x' = (x + 0.5) * N / W - 0.5</c>), trains <see cref="KeypointCnnTrainer"/>, and returns a model whose
/// predictions are mapped back to the coordinates of the original image.
/// </summary>
/// <remarks>
/// Input: a text column of image paths and a column of <c>2K</c> pixel coordinates in each original image (NaN where
/// missing), as <see cref="KeypointImageCsv.Load"/> gives. The fitted <see cref="KeypointImageModel"/> is a chain of
/// ML.NET transformers (image loading, a stateless size glue, resize, pixel extraction, the ONNX network, and an ONNX
/// graph for the inverse map), so it saves and loads with <c>mlContext.Model.Save</c>/<c>Load</c>. The label map is
/// used while training only and is not part of the model.
/// </remarks>
public sealed class KeypointImageTrainer : IEstimator<KeypointImageModel>
{
    private const string PixelsColumnName = "Image";
    private const string FrameLabelColumnName = "FrameKeypoints";
    private const string FramePredictionColumnName = "FramePredictedKeypoints";

    private readonly MLContext mlContext;
    private readonly Options options;

    /// <summary>Creates the trainer; prefer <c>mlContext.Keypoints.Trainers.CnnOnImages(...)</c>.</summary>
    public KeypointImageTrainer(MLContext mlContext, Options options)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentNullException.ThrowIfNull(options);
        this.mlContext = mlContext;
        this.options = options;
    }

    /// <summary>Settings of <see cref="KeypointImageTrainer"/>, checked when <see cref="Fit"/> starts.</summary>
    public sealed class Options
    {
        /// <summary>Column of image file paths. Default <c>ImagePath</c>.</summary>
        public string ImagePathColumnName { get; set; } = KeypointImageCsv.ImagePathColumnName;

        /// <summary>Column of <c>2K</c> pixel coordinates in the original images, NaN where missing. Default
        /// <c>Keypoints</c>.</summary>
        public string LabelColumnName { get; set; } = "Keypoints";

        /// <summary>Output column of <c>2K</c> predicted pixel coordinates in the original images. Default
        /// <c>PredictedKeypoints</c>.</summary>
        public string PredictedColumnName { get; set; } = "PredictedKeypoints";

        /// <summary>Width in pixels of the network's input; every image is resized to it. Default 96.</summary>
        public int InputWidth { get; set; } = 96;

        /// <summary>Height in pixels of the network's input. Default 96.</summary>
        public int InputHeight { get; set; } = 96;

        /// <summary>The network's settings (defaults: <see cref="KeypointTrainingOptions"/>'s recipe).
        /// <see cref="KeypointTrainingOptions.Channels"/> picks grey (1, luma) or color (3, RGB) input;
        /// <see cref="KeypointTrainingOptions.Layout"/>, when set, names the keypoints (its image size is ignored: the
        /// network's is
        /// <see cref="InputWidth"/> x <see cref="InputHeight"/>); <see cref="KeypointTrainingOptions.ValidationData"/>,
        /// when set, holds image-path rows like the training data. The network's three column names belong to this
        /// trainer, which names its internal columns itself: they must keep their defaults (this class's <see
        /// cref="LabelColumnName"/> and
        /// <see cref="PredictedColumnName"/> name the columns in the original images), else Fit fails with an
        /// <see cref="ArgumentException"/> naming them.</summary>
        public KeypointCnnTrainer.Options Network { get; set; } = new();

        /// <summary>Checks this class's own settings and that nobody set the network's column names.</summary>
        internal void Validate()
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(ImagePathColumnName);
            ArgumentException.ThrowIfNullOrWhiteSpace(LabelColumnName);
            ArgumentException.ThrowIfNullOrWhiteSpace(PredictedColumnName);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InputWidth);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(InputHeight);
            ArgumentNullException.ThrowIfNull(Network);
            var defaults = new KeypointTrainingOptions();
            string[] changed = new[]
            {
                (nameof(Network.FeatureColumnName), Network.FeatureColumnName, defaults.FeatureColumnName),
                (nameof(Network.LabelColumnName), Network.LabelColumnName, defaults.LabelColumnName),
                (nameof(Network.PredictedColumnName), Network.PredictedColumnName, defaults.PredictedColumnName),
            }
                .Where(c => c.Item2 != c.Item3)
                .Select(c => $"Network.{c.Item1} ('{c.Item2}')")
                .ToArray();
            if (changed.Length > 0)
            {
                throw new ArgumentException(
                    $"{string.Join(", ", changed)}: the image trainer names the network's columns itself. "
                        + "Set KeypointImageTrainer.Options.ImagePathColumnName, LabelColumnName or "
                        + "PredictedColumnName instead.",
                    nameof(Network)
                );
            }
        }
    }

    /// <summary>The input columns plus the image pipeline's columns and <see
    /// cref="Options.PredictedColumnName"/>.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (!inputSchema.Any(c => c.Name == options.ImagePathColumnName))
        {
            throw new ArgumentOutOfRangeException(
                nameof(inputSchema),
                $"The image path column '{options.ImagePathColumnName}' was not found."
            );
        }

        var features = Featurizer().GetOutputSchema(inputSchema);
        return new KeypointCnnTrainer(
            mlContext,
            NetworkOptions(options.Network.Layout ?? KeypointLayout.Kaggle15, null)
        ).GetOutputSchema(features);
    }

    /// <summary>Trains on <paramref name="input"/> and returns the fitted model. Every check of the options, the
    /// columns of the training and validation rows and the layout runs before the first epoch.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or has the wrong type or size.</exception>
    /// <exception cref="ArgumentException">No layout is given and none can be found, or specialists on a layout without
    /// groups.</exception>
    public KeypointImageModel Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        options.Validate();
        // Labels without a loader's layout refer to images of many sizes; the network's input frame is the one size
        // they share.
        var layout = KeypointLayoutResolver.Resolve(
            input,
            options.Network.Layout,
            options.LabelColumnName,
            "Network.Layout",
            LayoutImageSize.Known(options.InputWidth, options.InputHeight)
        );
        CheckColumns(input, layout, "training");
        if (options.Network.ValidationData is { } validationRows)
            CheckColumns(validationRows, layout, "validation");
        var featurizer = Featurizer().Fit(input);
        var toFrame = FrameMap(layout, options.LabelColumnName, FrameLabelColumnName, toFrame: true)
            .Fit(featurizer.Transform(input));
        IDataView ToTraining(IDataView data) => toFrame.Transform(featurizer.Transform(data));

        var validation = options.Network.ValidationData is { } rows ? ToTraining(rows) : null;
        var training = ToTraining(input);
        var imageFiles = new KeypointImageFilesMetadata(
            options.ImagePathColumnName,
            options.PredictedColumnName,
            layout.ImageWidth,
            layout.ImageHeight
        );
        var network = new KeypointCnnTrainer(mlContext, NetworkOptions(layout, validation)).Fit(training, imageFiles);
        try
        {
            // The same construction as mlContext.Keypoints.LoadModel uses, so a fitted and a loaded model are one
            // chain.
            return KeypointImageModel.Create(mlContext, network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private IEstimator<ITransformer> Featurizer() =>
        ImageFeaturizer.Create(
            mlContext,
            options.ImagePathColumnName,
            PixelsColumnName,
            options.InputWidth,
            options.InputHeight,
            options.Network.Channels
        );

    private KeypointCnnTrainer.Options NetworkOptions(KeypointLayout layout, IDataView? validation)
    {
        var network = (KeypointCnnTrainer.Options)options.Network.Clone();
        network.Layout = layout.WithImageSize(options.InputWidth, options.InputHeight);
        network.FeatureColumnName = PixelsColumnName;
        network.LabelColumnName = FrameLabelColumnName;
        network.PredictedColumnName = FramePredictionColumnName;
        network.ValidationData = validation;
        return network;
    }

    private IEstimator<ITransformer> FrameMap(
        KeypointLayout layout,
        string inputColumn,
        string outputColumn,
        bool toFrame
    )
    {
        byte[] graph = ImageFrameGraph.Create(
            inputColumn,
            ImageFeaturizer.ImageSizeColumnName,
            outputColumn,
            layout.WithImageSize(options.InputWidth, options.InputHeight),
            toFrame
        );
        using var stream = new MemoryStream(graph, writable: false);
        return mlContext.Transforms.ApplyOnnxModel(
            [outputColumn],
            [inputColumn, ImageFeaturizer.ImageSizeColumnName],
            stream
        );
    }

    private void CheckColumns(IDataView rows, KeypointLayout layout, string which)
    {
        var path = rows.Schema.GetColumnOrNull(options.ImagePathColumnName);
        if (path?.Type is not TextDataViewType)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rows),
                $"The image path column '{options.ImagePathColumnName}' of the {which} rows must be text; found "
                    + $"{path?.Type.ToString() ?? "no such column"}."
            );
        }

        SchemaChecks.RequireSingleVector(
            rows.Schema,
            options.LabelColumnName,
            "label",
            layout.CoordinateCount,
            $"x and y of the {layout.KeypointCount} keypoints of layout '{layout.Name}' in the {which} rows"
        );
    }
}
