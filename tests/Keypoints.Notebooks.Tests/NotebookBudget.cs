namespace Keypoints.Notebooks.Tests;

/// <summary>
/// The environment variables that size a notebook run. The notebooks read <see cref="MinutesVariable"/> (wall-clock
/// training time per network) and <see cref="RowsVariable"/> (training rows, 0 for all) and fall back to the budget
/// their committed outputs come from. A test run gives the kernel the small CI budget below for the variables the
/// caller did not set, unless <see cref="WriteVariable"/> is 1: then the notebooks run with their own budget and their
/// outputs are written back.
/// </summary>
internal static class NotebookBudget
{
    /// <summary>Wall-clock training minutes per network.</summary>
    public const string MinutesVariable = "KEYPOINTS_NOTEBOOK_MINUTES";

    /// <summary>Training rows to use, the first N of training.csv; 0 for all.</summary>
    public const string RowsVariable = "KEYPOINTS_NOTEBOOK_ROWS";

    /// <summary>Set to 1 to write each notebook's outputs back into the file after a run with the notebook's own
    /// budget.</summary>
    public const string WriteVariable = "KEYPOINTS_NOTEBOOKS_WRITE";

    // Small enough that the three notebooks run in a few minutes on 2 CPU cores: every training stops after its first
    // epoch.
    private static readonly Dictionary<string, string> Ci = new()
    {
        [MinutesVariable] = "0.05",
        [RowsVariable] = "256",
    };

    /// <summary>Whether <see cref="WriteVariable"/> asks for the notebooks' outputs to be written back.</summary>
    public static bool WritesOutputs => Environment.GetEnvironmentVariable(WriteVariable) == "1";

    /// <summary>The budget variables to add to the kernel's environment: the CI budget for those this process's
    /// environment does not set, or none when outputs are to be written.</summary>
    public static IReadOnlyDictionary<string, string> KernelEnvironment() =>
        WritesOutputs ? [] : Ci.Where(v => Environment.GetEnvironmentVariable(v.Key) is null).ToDictionary();

    /// <summary>The budget in force for a kernel given <paramref name="added"/>, for the test log.</summary>
    public static string Describe(IReadOnlyDictionary<string, string> added) =>
        string.Join(
            ", ",
            new[] { MinutesVariable, RowsVariable }.Select(name =>
                name
                + "="
                + (
                    added.TryGetValue(name, out string? v)
                        ? v
                        : Environment.GetEnvironmentVariable(name) ?? "(notebook default)"
                )
            )
        );
}
