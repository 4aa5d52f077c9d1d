using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Keypoints.MLNet.Networks;

/// <summary>
/// Maps the feature maps of a network's convolutional trunk back to an image, for denoising-autoencoder
/// pre-training: 2x2 transposed convolutions of stride 2 with rectification, each halving the channels
/// (to no fewer than 16), until the maps are at least as large as the image, a bilinear resize to the exact
/// image size when they overshoot, and a 3x3 convolution to the image channels with a linear output.
/// </summary>
/// <remarks>Deliberately small, so that the trunk rather than the decoder has to learn the image structure.
/// It is thrown away after pre-training and never exported.</remarks>
internal sealed class ReconstructionDecoder : Module<Tensor, Tensor>
{
    private readonly ModuleList<ConvTranspose2d> upsampling;
    private readonly Conv2d output;
    private readonly long[] imageSize;

    /// <summary>Creates a decoder from feature maps of <paramref name="featureShape"/> (<c>[C', H', W']</c>) to images
    /// of <paramref name="image"/> shape.</summary>
    public ReconstructionDecoder(long[] featureShape, NetworkInput image)
        : base(nameof(ReconstructionDecoder))
    {
        long channels = featureShape[0],
            height = featureShape[1],
            width = featureShape[2];
        var layers = new List<ConvTranspose2d>();
        while (height < image.Height || width < image.Width)
        {
            long next = Math.Max(16, channels / 2);
            layers.Add(ConvTranspose2d(channels, next, 2, stride: 2));
            (channels, height, width) = (next, height * 2, width * 2);
        }
        upsampling = ModuleList(layers.ToArray());
        output = Conv2d(channels, image.Channels, 3, padding: 1);
        imageSize = [image.Height, image.Width];
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = features;
        // Channels-last inputs avoid the oneDNN kernels that Conv6.ChannelsLast describes: in NCHW layout the
        // 16- and 32-channel layers here gave NaN losses on a batch of 12 faces. In-place rectification: a
        // transposed convolution's backward pass needs its input, not its output.
        foreach (var layer in upsampling)
            x = layer.forward(Conv6.ChannelsLast(x)).relu_();
        if (x.shape[2] != imageSize[0] || x.shape[3] != imageSize[1])
            x = functional.interpolate(x, imageSize, mode: InterpolationMode.Bilinear, align_corners: false);
        return output.forward(Conv6.ChannelsLast(x)).MoveToOuterDisposeScope();
    }
}
