namespace Keypoints.MLNet.Tests;

/// <summary>Test classes that compare runs drawn from TorchSharp's process-wide random generator join this collection:
/// it runs alone, after the parallel tests, so no test in another class draws from the generator between a seed and its
/// use.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomGenerator
{
    /// <summary>The collection's name, for <c>[Collection(GlobalRandomGenerator.Name)]</c>.</summary>
    public const string Name = "TorchSharp global random generator";
}
