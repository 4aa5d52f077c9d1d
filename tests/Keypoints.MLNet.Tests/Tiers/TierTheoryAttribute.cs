namespace Keypoints.MLNet.Tests.Tiers;

/// <summary>A theory of the tiers <see cref="Needs"/> names: skipped, with the reason, where their inputs are
/// absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TierTheoryAttribute : TheoryAttribute
{
    /// <summary>A theory that needs <paramref name="needs"/>.</summary>
    public TierTheoryAttribute(Needs needs) => Skip = TierAvailability.SkipReason(needs);
}
