namespace Keypoints.MLNet.Tests.Tiers;

/// <summary>A fact of the tiers <see cref="Needs"/> names: skipped, with the reason, where their inputs are
/// absent.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class TierFactAttribute : FactAttribute
{
    /// <summary>A fact that needs <paramref name="needs"/>.</summary>
    public TierFactAttribute(Needs needs) => Skip = TierAvailability.SkipReason(needs);
}
