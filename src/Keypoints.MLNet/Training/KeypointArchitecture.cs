namespace Keypoints.MLNet.Training;

/// <summary>The network a <see cref="KeypointCnnTrainer"/> trains.</summary>
public enum KeypointArchitecture
{
    /// <summary>Nouri's net1: one hidden layer of 100 units over the flattened image (9216-100-30 on Kaggle data).</summary>
    Mlp,

    /// <summary>Nouri's net2: conv 32@3x3, 64@2x2, 128@2x2, each with 2x2 max pooling, then dense 500, 500.</summary>
    ConvNet3,
}
