using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Keypoints.MLNet.Images;

/// <summary>
/// Stateless glue of the image pipeline: the width and height in pixels of the image file named in the
/// <c>ImagePath</c> column, read from the file's header, as the two-item vector the keypoint frame mapping reads; and
/// the path again as <c>CheckedImagePath</c>, for the image loader, once the file is known to be within <see
/// cref="ImageDecodeLimits.Default"/> and to decode whole (an empty, oversized, truncated or non-image file is an <see
/// cref="InvalidDataException"/> that names it, where ML.NET's loader would decode a file of any declared size and fill
/// a truncated JPEG with grey). Saved in a model as ML.NET's <c>CustomMapping</c> under the contract
/// <see cref="ContractName"/>; loading such a model needs this assembly. (It reads the path, not the loaded image:
/// ML.NET cannot type an image column of unknown size in a custom mapping's input.) Models saved before the loader read
/// <c>CheckedImagePath</c> load and score as they did, without the check.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class ImageSizeMapping : CustomMappingFactory<ImageSizeMapping.Input, ImageSizeMapping.Output>
{
    /// <summary>The contract name stored in saved models.</summary>
    public const string ContractName = "Keypoints.MLNet.ImageSize";

    /// <summary>The input row.</summary>
    public sealed class Input
    {
        /// <summary>Path of the image file.</summary>
        public string ImagePath { get; set; } = "";
    }

    /// <summary>The output row.</summary>
    public sealed class Output
    {
        /// <summary>Width and height of the image in pixels.</summary>
        [VectorType(2)]
        public float[] ImageSize { get; set; } = new float[2];

        /// <summary>The input path, set only when the whole file decodes.</summary>
        public string CheckedImagePath { get; set; } = "";
    }

    /// <summary>The mapping: reads the image's width and height from its file header and, when they are within <see
    /// cref="ImageDecodeLimits.Default"/> (a saved mapping carries no settings), checks that the whole file decodes (at
    /// the codec's smallest scale: see <see cref="GuardedImageDecoder.Verify"/>).</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, over the limits, truncated, corrupt or in a format
    /// that cannot be read; the message names it.</exception>
    public static void Map(Input input, Output output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var (width, height) = GuardedImageDecoder.Verify(input.ImagePath, ImageDecodeLimits.Default);
        output.ImageSize = [width, height];
        output.CheckedImagePath = input.ImagePath;
    }

    /// <inheritdoc/>
    public override Action<Input, Output> GetMapping() => Map;
}
