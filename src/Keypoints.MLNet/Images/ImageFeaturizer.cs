using Microsoft.ML;
using Microsoft.ML.Transforms.Image;

namespace Keypoints.MLNet.Images;

/// <summary>
/// The saveable front of the image pipeline, made of ML.NET's own transformers: the <see cref="ImageSizeMapping"/> glue
/// (<c>ImageSize</c>, the original width and height, and <c>CheckedImagePath</c>, the path once the whole file is known
/// to decode), <c>LoadImages</c> of that checked path (→ <c>FaceImage</c>), <c>ResizeImages</c> to the network's input
/// size (stretched, so x and y scale independently, matching the keypoint map <c>x' = (x + 0.5) * N / W - 0.5</c>),
/// optionally
/// <c>ConvertToGrayscale</c>, and <c>ExtractPixels</c> to a planar CHW vector of 0-255 values.
/// </summary>
/// <remarks>The loader reads the glue's output so that every pixel depends on the check: an empty, oversized (over
/// <see cref="ImageDecodeLimits.Default"/>), truncated or non-image file fails with an <see
/// cref="InvalidDataException"/> that names it before ML.NET's loader, which decodes any declared size and fills a
/// truncated JPEG with grey, ever sees it; and a saved-and-loaded model keeps the check.</remarks>
internal static class ImageFeaturizer
{
    /// <summary>The column of loaded images.</summary>
    public const string ImageObjectColumnName = "FaceImage";

    /// <summary>The column of the original image's width and height in pixels.</summary>
    public const string ImageSizeColumnName = "ImageSize";

    /// <summary>The column of image paths that the loader reads: the input path, once the glue has checked that its
    /// file decodes.</summary>
    public const string CheckedImagePathColumnName = nameof(ImageSizeMapping.Output.CheckedImagePath);

    /// <summary>The path column the image-size glue reads (copied from the image path column when that has another
    /// name).</summary>
    private const string SizeInputColumnName = nameof(ImageSizeMapping.Input.ImagePath);

    /// <summary>Builds the estimator chain.</summary>
    /// <param name="mlContext">The context.</param>
    /// <param name="imagePathColumnName">Input column of image file paths.</param>
    /// <param name="pixelsColumnName">Output column of <c>channels * height * width</c> pixel values 0-255.</param>
    /// <param name="width">The network's input width.</param>
    /// <param name="height">The network's input height.</param>
    /// <param name="channels">1 for grey (luma), 3 for RGB.</param>
    public static IEstimator<ITransformer> Create(
        MLContext mlContext,
        string imagePathColumnName,
        string pixelsColumnName,
        int width,
        int height,
        int channels
    )
    {
        var images = mlContext.Transforms;
        const string resized = ImageObjectColumnName + "Resized";
        IEstimator<ITransformer> chain = images.CustomMapping<ImageSizeMapping.Input, ImageSizeMapping.Output>(
            ImageSizeMapping.Map,
            ImageSizeMapping.ContractName
        );
        if (imagePathColumnName != SizeInputColumnName)
            chain = images.CopyColumns(SizeInputColumnName, imagePathColumnName).Append(chain);
        chain = chain
            .Append(images.LoadImages(ImageObjectColumnName, imageFolder: null, CheckedImagePathColumnName))
            .Append(
                images.ResizeImages(
                    resized,
                    width,
                    height,
                    ImageObjectColumnName,
                    ImageResizingEstimator.ResizingKind.Fill
                )
            );
        if (channels == 1)
            chain = chain.Append(images.ConvertToGrayscale(resized));
        return chain.Append(
            images.ExtractPixels(
                pixelsColumnName,
                resized,
                channels == 1
                    ? ImagePixelExtractingEstimator.ColorBits.Red
                    : ImagePixelExtractingEstimator.ColorBits.Rgb,
                ImagePixelExtractingEstimator.ColorsOrder.ARGB,
                interleavePixelColors: false
            )
        );
    }
}
