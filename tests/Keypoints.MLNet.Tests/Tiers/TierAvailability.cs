namespace Keypoints.MLNet.Tests.Tiers;

/// <summary>
/// Whether each tier's inputs are present on this machine. A test of a tier whose inputs are absent is skipped with the
/// reason, unless <c>KEYPOINTS_REQUIRE_TIERS=1</c> (CI sets it): then it runs and fails on what is missing.
/// </summary>
internal static class TierAvailability
{
    /// <summary>The environment variable that makes every tier run.</summary>
    public const string RequireVariable = "KEYPOINTS_REQUIRE_TIERS";

    private static readonly Lazy<bool> OnnxCheckerPresent = new(() =>
        File.Exists("/usr/bin/python3")
        && ProcessRunner.Run("/usr/bin/python3", ["-c", "import onnx"], TimeSpan.FromMinutes(1)).ExitCode == 0
    );

    /// <summary>The reason to skip a test that <paramref name="needs"/> these tiers, or null when it can run.</summary>
    public static string? SkipReason(Needs needs)
    {
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
            return null;
        var missing = new List<string>();
        if (needs.HasFlag(Needs.FaceData) && !Directory.Exists(SharedData.ExpectedFolder))
            missing.Add($"the face data set ({SharedData.ExpectedFolder}; or set KEYPOINTS_DATA)");
        if (needs.HasFlag(Needs.OnnxChecker) && !OnnxCheckerPresent.Value)
            missing.Add("the ONNX checker (apt-get install python3-onnx)");
        return missing.Count == 0 ? null : $"needs {string.Join(" and ", missing)}; CI runs it";
    }
}
