namespace Keypoints.MLNet.Networks;

/// <summary>Creates the network for an architecture name.</summary>
internal static class NetworkFactory
{
    /// <summary>Builds an untrained network of <paramref name="architecture"/> for the input shape and output count;
    /// for
    /// <see cref="KeypointArchitecture.ResNet18Pretrained"/>, with ImageNet weights and the stem and first
    /// <paramref name="frozenStages"/> stages frozen.</summary>
    /// <exception cref="ArgumentException"><paramref name="frozenStages"/> is not 0 for a network that cannot freeze
    /// stages.</exception>
    public static KeypointNetwork Create(
        KeypointArchitecture architecture,
        NetworkInput input,
        int outputs,
        int frozenStages = 0
    )
    {
        if (frozenStages != 0 && architecture != KeypointArchitecture.ResNet18Pretrained)
        {
            throw new ArgumentException(
                $"Only {KeypointArchitecture.ResNet18Pretrained} can freeze stages; {architecture} was asked to "
                    + $"freeze {frozenStages}.",
                nameof(frozenStages)
            );
        }

        return Build(architecture, input, outputs, frozenStages);
    }

    private static KeypointNetwork Build(
        KeypointArchitecture architecture,
        NetworkInput input,
        int outputs,
        int frozenStages
    ) =>
        architecture switch
        {
            KeypointArchitecture.Mlp => new Mlp(input, outputs),
            KeypointArchitecture.ConvNet3 => new ConvNet3(input, outputs),
            KeypointArchitecture.NouriDropout => new NouriDropout(input, outputs),
            KeypointArchitecture.Conv2 => new Conv2(input, outputs),
            KeypointArchitecture.Conv6 => new Conv6(input, outputs),
            KeypointArchitecture.ResNet18 => new ResNet18(input, outputs),
            KeypointArchitecture.ResNet18Integral => new ResNet18(input, outputs, integral: true),
            KeypointArchitecture.ResNet18Pretrained => new ResNet18Pretrained(
                input,
                outputs,
                frozenStages,
                ImageNetResNet18Weights.Load()
            ),
            _ => throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "Unknown architecture."),
        };
}
