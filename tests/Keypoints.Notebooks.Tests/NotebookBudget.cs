namespace Keypoints.Notebooks.Tests;

/// <summary>
/// The environment variables that size a notebook run. The notebooks read <see cref="MinutesVariable"/> (wall-clock
/// training time per network) and <see cref="RowsVariable"/> (training rows, 0 for all) and fall back to the budget their
/// committed outputs come from. A test run sets the small CI budget below unless the caller set a variable itself, or
/// unless <see cref="WriteVariable"/> is 1: then the notebooks run with their own budget and their outputs are written back.
/// </summary>
internal sealed class NotebookBudget : IDisposable
{
    /// <summary>Wall-clock training minutes per network.</summary>
    public const string MinutesVariable = "KEYPOINTS_NOTEBOOK_MINUTES";

    /// <summary>Training rows to use, the first N of training.csv; 0 for all.</summary>
    public const string RowsVariable = "KEYPOINTS_NOTEBOOK_ROWS";

    /// <summary>Set to 1 to write each notebook's outputs back into the file after a run with the notebook's own budget.</summary>
    public const string WriteVariable = "KEYPOINTS_NOTEBOOKS_WRITE";

    // Small enough that the three notebooks run in a few minutes on 2 CPU cores: every training stops after its first epoch.
    private static readonly Dictionary<string, string> Ci = new()
    {
        [MinutesVariable] = "0.05",
        [RowsVariable] = "256",
    };

    private readonly Dictionary<string, string?> previous = [];

    /// <summary>Sets the CI budget for the variables the environment does not set, unless outputs are to be written.</summary>
    public NotebookBudget()
    {
        if (WritesOutputs)
            return;
        foreach (var (name, value) in Ci)
        {
            if (Environment.GetEnvironmentVariable(name) is null)
            {
                previous[name] = null;
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }

    /// <summary>Whether <see cref="WriteVariable"/> asks for the notebooks' outputs to be written back.</summary>
    public static bool WritesOutputs => Environment.GetEnvironmentVariable(WriteVariable) == "1";

    /// <summary>The budget in force, for the test log.</summary>
    public static string Describe() =>
        $"{MinutesVariable}={Environment.GetEnvironmentVariable(MinutesVariable) ?? "(notebook default)"}, " +
        $"{RowsVariable}={Environment.GetEnvironmentVariable(RowsVariable) ?? "(notebook default)"}";

    /// <summary>Removes the variables this instance set.</summary>
    public void Dispose()
    {
        foreach (var (name, value) in previous)
            Environment.SetEnvironmentVariable(name, value);
    }
}
