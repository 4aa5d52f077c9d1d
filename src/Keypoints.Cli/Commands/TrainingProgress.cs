using System.Globalization;
using Keypoints.MLNet.Training;
using Spectre.Console;

namespace Keypoints.Cli.Commands;

/// <summary>
/// Shows training as it goes. Every epoch prints one line (train loss, validation RMSE or "no validation", images/s,
/// time left), which scripts and tests parse when the output is redirected; in a terminal the lines scroll above a live
/// bar of the current phase (pre-training, the base network, each specialist) with its elapsed and remaining time.
/// </summary>
/// <remarks>Training itself stays on the calling thread, the process's main thread: glibc gives any other thread a
/// malloc arena of its own, where libtorch's large allocations are mmapped afresh every step (see the README's runtime
/// notes). Only the bar's refresh runs on Spectre.Console's own thread.</remarks>
/// <param name="maxEpochs">The base network's epoch limit.</param>
/// <param name="maxTrainingTime">The base network's share of the run's wall-clock budget, if any (less when
/// pre-training used part of it).</param>
/// <param name="pretrainingEpochs">Pre-training epochs, 0 for none (or none left, when resuming).</param>
/// <param name="specialistMaxEpochs">Each specialist's epoch limit.</param>
internal sealed class TrainingProgress(
    int maxEpochs,
    TimeSpan? maxTrainingTime,
    int pretrainingEpochs,
    int specialistMaxEpochs
) : IProgress<EpochReport>, IProgress<PretrainingReport>
{
    private ProgressContext? live;
    private ProgressTask? phase;
    private string? phaseName;
    private double bestRmse = double.NaN;

    /// <summary>Whether the output is an interactive terminal that can redraw a line.</summary>
    public static bool IsTerminal => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="train"/> on this thread, under a live bar when the output is a terminal.</summary>
    public T Run<T>(Func<T> train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!IsTerminal)
            return train();
        return AnsiConsole
            .Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(
                new SpinnerColumn(),
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn()
            )
            .Start(context =>
            {
                live = context;
                Advance(pretrainingEpochs > 0 ? "pre-training" : "training", "starting", 0);
                try
                {
                    return train();
                }
                finally
                {
                    phase?.StopTask();
                    live = null;
                }
            });
    }

    /// <inheritdoc/>
    public void Report(EpochReport value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Specialist is { } group)
        {
            Write(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"specialist {group} epoch {value.Epoch, 4}  train loss {value.TrainLoss:F6}  "
                        + $"{Validation(value.ValidationRmse)}  "
                        + $"{value.ImagesPerSecond, 6:F0} images/s{(value.IsBest ? "  *" : "")}"
                )
            );
            Advance(
                $"specialist {group}",
                string.Create(CultureInfo.InvariantCulture, $"epoch {value.Epoch} of at most {specialistMaxEpochs}"),
                (double)value.Epoch / specialistMaxEpochs
            );
            return;
        }
        double perEpoch = value.Elapsed.TotalSeconds / value.Epoch;
        double left = (maxEpochs - value.Epoch) * perEpoch;
        double done = (double)value.Epoch / maxEpochs;
        if (maxTrainingTime is { } budget)
        {
            left = Math.Min(left, Math.Max(0, (budget - value.Elapsed).TotalSeconds));
            done = Math.Max(done, value.Elapsed / budget);
        }
        Write(
            string.Create(
                CultureInfo.InvariantCulture,
                $"epoch {value.Epoch, 4}  train loss {value.TrainLoss:F6}  {Validation(value.ValidationRmse)}  "
                    + $"{value.ImagesPerSecond, 6:F0} images/s  ETA "
                    + $"{TimeSpan.FromSeconds(left):hh\\:mm\\:ss}{(value.IsBest ? "  *" : "")}"
            )
        );
        if (value.IsBest)
            bestRmse = value.ValidationRmse;
        Advance(
            "training",
            string.Create(
                CultureInfo.InvariantCulture,
                $"epoch {value.Epoch} of at most "
                    + $"{maxEpochs}{(double.IsNaN(bestRmse) ? "" : $", best {bestRmse:F3} px")}"
            ),
            done
        );
    }

    /// <summary>The validation column of an epoch line: the RMSE, or "no validation" for a run without validation
    /// data.</summary>
    private static string Validation(double rmse) =>
        double.IsNaN(rmse)
            ? "no validation"
            : string.Create(CultureInfo.InvariantCulture, $"validation RMSE {rmse:F3} px");

    /// <inheritdoc/>
    public void Report(PretrainingReport value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Write(
            string.Create(
                CultureInfo.InvariantCulture,
                $"pretraining epoch {value.Epoch, 4}  reconstruction MSE {value.ReconstructionMse:F6}  "
                    + $"{value.Elapsed.TotalMinutes:F1} min"
            )
        );
        Advance(
            "pre-training",
            string.Create(CultureInfo.InvariantCulture, $"epoch {value.Epoch} of {pretrainingEpochs}"),
            (double)value.Epoch / pretrainingEpochs
        );
    }

    private void Write(string line)
    {
        // Under the live bar, Spectre.Console prints the line above it; a bare Console.WriteLine would tear the bar.
        if (live is null)
            Console.WriteLine(line);
        else
            AnsiConsole.WriteLine(line);
    }

    /// <summary>Moves the bar of phase <paramref name="name"/> to <paramref name="done"/> (0 to 1), replacing the bar
    /// of the previous phase.</summary>
    private void Advance(string name, string state, double done)
    {
        if (live is null)
            return;
        if (phase is null || phaseName != name)
        {
            phase?.StopTask();
            phase = live.AddTask(name, maxValue: 1);
            phaseName = name;
        }
        phase.Description = Markup.Escape($"{name}: {state}");
        phase.Value = Math.Clamp(done, 0, 1);
    }
}
