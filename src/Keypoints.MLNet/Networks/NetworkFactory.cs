namespace Keypoints.MLNet.Networks;

/// <summary>Creates the network for an architecture name.</summary>
internal static class NetworkFactory
{
    /// <summary>Builds an untrained network of <paramref name="architecture"/> for the input shape and output count.</summary>
    public static KeypointNetwork Create(KeypointArchitecture architecture, NetworkInput input, int outputs) => architecture switch
    {
        KeypointArchitecture.Mlp => new Mlp(input, outputs),
        KeypointArchitecture.ConvNet3 => new ConvNet3(input, outputs),
        KeypointArchitecture.NouriDropout => new NouriDropout(input, outputs),
        KeypointArchitecture.Conv2 => new Conv2(input, outputs),
        KeypointArchitecture.Conv6 => new Conv6(input, outputs),
        KeypointArchitecture.ResNet18 => new ResNet18(input, outputs),
        _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "Unknown architecture."),
    };
}
