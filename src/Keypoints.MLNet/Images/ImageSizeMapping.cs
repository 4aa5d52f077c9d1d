using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Keypoints.MLNet.Images;

/// <summary>
/// Stateless glue of the image pipeline: the width and height in pixels of the image file named in the
/// <c>ImagePath</c> column, read from the file's header, as the two-item vector the keypoint frame mapping reads.
/// Saved in a model as ML.NET's <c>CustomMapping</c> under the contract <see cref="ContractName"/>; loading such a model
/// needs this assembly. (It reads the path, not the loaded image: ML.NET cannot type an image column of unknown size
/// in a custom mapping's input.)
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
    }

    /// <summary>The mapping: reads the image's width and height from its file header.</summary>
    /// <exception cref="InvalidDataException">The file is missing, corrupt or in a format that cannot be read.</exception>
    public static void Map(Input input, Output output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var (width, height) = ImageFileCheck.RequireSize(input.ImagePath);
        output.ImageSize = [width, height];
    }

    /// <inheritdoc/>
    public override Action<Input, Output> GetMapping() => Map;
}
