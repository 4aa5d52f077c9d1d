namespace Keypoints.MLNet.Networks;

/// <summary>The network a keypoint trainer trains (<c>KeypointTrainingOptions.Architecture</c>).</summary>
public enum KeypointArchitecture
{
    /// <summary>Nouri's net1: one hidden layer of 100 units over the flattened image (9216-100-30 on Kaggle
    /// data).</summary>
    Mlp,

    /// <summary>Nouri's net2: conv 32@3x3, 64@2x2, 128@2x2, each with 2x2 max pooling, then dense 500, 500.</summary>
    ConvNet3,

    /// <summary>Nouri's net7: the convolutions of <see cref="ConvNet3"/> with dropout 0.1, 0.2 and 0.3 after the three
    /// pools, then dense 1000, dropout 0.5, dense 1000. Dropout acts only while training.</summary>
    NouriDropout,

    /// <summary>Two blocks of a 3x3 convolution with padding 1 (32, then 64 filters) and 2x2 max pooling, then dense
    /// 500, 500; small and quick to train with Adam.</summary>
    Conv2,

    /// <summary>Six 3x3 convolutions with padding 1 (12, 20, 32, 40, 48, 64 filters), 2x2 max pooling after every
    /// second one, then dense 500, 500.</summary>
    Conv6,

    /// <summary>A ResNet-18-style network with batch norm, trained from scratch: conv 7x7 stride 2 and 3x3 max pooling,
    /// four stages of two basic residual blocks with 32, 64, 128 and 256 channels (half of ResNet-18's widths, to train
    /// on a CPU), global average pooling and a linear output.</summary>
    ResNet18,

    /// <summary>ResNet-18 at full width (64, 128, 256, 512 channels) starting from ImageNet weights, with global
    /// average pooling and a new linear output. It has the blocks of the weights' file, 2, 2, 2 and 3 basic blocks per
    /// stage (one more in the last stage than the paper's ResNet-18; 15.9 million weights in all). The weights are
    /// ML.NET's: the NuGet package <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> (MIT licence, © Microsoft), which
    /// the app references itself (this library does not bring its 64 MB), copies them into the app's output folder as
    /// <c>DnnImageModels/ResNet18Onnx/ResNet18.onnx</c>. The network expects pixels in [0, 1] (the default
    /// <c>PixelOffset</c> 0 and <c>PixelScale</c> 1/255) and applies ImageNet's per-channel pixel means itself; grey
    /// images use the sum of the colour filters. <c>KeypointTrainingOptions.FrozenStages</c> can freeze its first
    /// layers. Any image of at least 32 x 32 pixels.</summary>
    ResNet18Pretrained,

    /// <summary><see cref="ResNet18"/>'s trunk with integral regression (Sun et al., 2018) instead of the pooling and
    /// the linear output: two steps that double the last stage's feature maps (nearest neighbour, conv 3x3 with 64
    /// channels, batch norm, rectification), one heatmap per keypoint (a 1x1 convolution; 12 x 12 cells on 96 x 96
    /// images), and each keypoint at its heatmap's soft-argmax, the mean cell position weighted by the heatmap's
    /// softmax. Predictions stay inside the image. Any image of at least 32 x 32 pixels.</summary>
    ResNet18Integral,
}
