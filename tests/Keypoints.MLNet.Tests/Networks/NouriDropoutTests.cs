using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Runtime;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Networks;

/// <summary>The dropout network drops activations while training and is deterministic in eval mode.</summary>
public sealed class NouriDropoutTests
{
    [Fact]
    public void Forward_DiffersBetweenCalls_InTrainMode_AndIsIdentical_InEvalMode()
    {
        TorchRuntime.EnsureInitialized();
        manual_seed(5);
        using var network = NetworkFactory.Create(KeypointArchitecture.NouriDropout, new NetworkInput(1, 96, 96), 30);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var images = rand(4, 1, 96, 96);

        network.train();
        var first = network.forward(images);
        var second = network.forward(images);
        Assert.False(first.allclose(second), "two training-mode passes gave the same output: dropout is off");

        network.eval();
        first = network.forward(images);
        second = network.forward(images);
        Assert.True(first.equal(second).all().item<bool>(), "two eval-mode passes differ: dropout is still on");
    }
}
