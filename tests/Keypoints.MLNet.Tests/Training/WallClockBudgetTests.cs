using System.Diagnostics;
using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Training;

/// <summary><see cref="TimeBudgetOptions.MaxTrainingTime"/> bounds the whole Fit: pre-training, base network and
/// specialists.</summary>
[Collection(GlobalRandomGenerator.Name)]
public sealed class WallClockBudgetTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(3);

    /// <summary>Options under which only the budget can end training: epochs without end and no early
    /// stopping.</summary>
    private static KeypointCnnTrainer.Options Endless(Stopwatch clock) =>
        new()
        {
            Architecture = KeypointArchitecture.Mlp,
            Seed = 11,
            // Ends a run that ignores the budget with a failure instead of a hang.
            Progress = new Watchdog(clock, 4 * Budget),
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule =
            {
                MaxEpochs = 1_000_000,
                EarlyStoppingPatience = 0,
                BatchSize = 32,
            },
            TimeBudget = { MaxTrainingTime = Budget },
            Specialists = { MaxEpochs = 1_000_000 },
        };

    [Fact]
    public void Fit_StopsAtTheWallClockBudget()
    {
        var ml = new MLContext();
        var clock = new Stopwatch();
        var options = Endless(clock);
        options.ValidationFraction = 0;
        var data = DrawnFaces.Training(ml, 64);
        WarmUp(ml);
        clock.Start();
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(data);
        var fit = clock.Elapsed;

        Assert.InRange(model.History.Count, 2, options.Schedule.MaxEpochs - 1);
        var longestEpoch = model
            .History.Zip(model.History.Skip(1), (a, b) => b.Elapsed - a.Elapsed)
            .Append(model.History[0].Elapsed)
            .Max();
        Assert.True(
            model.History[^1].Elapsed <= Budget + longestEpoch,
            $"trained {model.History[^1].Elapsed} for a budget of {Budget}"
        );
        Assert.True(fit < Budget + longestEpoch + TimeSpan.FromSeconds(2), $"Fit took {fit} for a budget of {Budget}");
    }

    [Fact]
    public void Fit_WithSpecialists_KeepsTheWholeFitWithinTheBudget_AndSharesItOut()
    {
        var ml = new MLContext();
        WarmUp(ml);
        var clock = new Stopwatch();
        var options = Endless(clock);
        options.Specialists.Enabled = true;
        options.ValidationData = DrawnFaces.Validation(ml, 16);
        var data = DrawnFaces.Training(ml, 32);
        clock.Start();
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(data);
        var fit = clock.Elapsed;

        var stages = model.SpecialistHistories.Values.Append(model.History).Where(h => h.Count > 0).ToArray();
        var longestEpoch = stages
            .SelectMany(h => h.Select((e, i) => e.Elapsed - (i > 0 ? h[i - 1].Elapsed : TimeSpan.Zero)))
            .Max();
        // Training stays within the budget give or take an epoch; exporting seven networks to ONNX comes on top.
        double trained = stages.Sum(h => h[^1].Elapsed.TotalSeconds);
        Assert.True(
            trained <= (Budget + longestEpoch).TotalSeconds,
            $"the stages trained {trained} s for a budget of {Budget}"
        );
        Assert.True(
            fit < Budget + longestEpoch + TimeSpan.FromSeconds(3),
            $"Fit with specialists took {fit} for a budget of {Budget}"
        );
        // The base network had at most BaseNetworkTimeShare of it, and the specialists trained in the rest.
        Assert.True(
            model.History[^1].Elapsed <= options.TimeBudget.BaseNetworkShare * Budget + longestEpoch,
            $"the base network trained {model.History[^1].Elapsed}"
        );
        Assert.Equal(6, model.SpecialistHistories.Count);
        Assert.Contains(model.SpecialistHistories.Values, h => h.Count > 0);
    }

    [Fact]
    public void Fit_GivesEachSpecialistAtMostItsOwnTimeLimit()
    {
        var ml = new MLContext();
        var clock = new Stopwatch();
        var options = Endless(clock);
        options.Specialists.Enabled = true;
        options.ValidationFraction = 0;
        options.TimeBudget.MaxTrainingTime = null;
        options.Schedule.MaxEpochs = 2;
        options.Specialists.MaxTrainingTime = TimeSpan.FromSeconds(0.5);
        WarmUp(ml);
        clock.Start();
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(DrawnFaces.Training(ml, 32));

        Assert.Equal(2, model.History.Count);
        Assert.Contains(model.SpecialistHistories.Values, h => h.Count > 0);
        foreach (var (group, history) in model.SpecialistHistories.Where(h => h.Value.Count > 0))
        {
            var longestEpoch = history
                .Select((e, i) => e.Elapsed - (i > 0 ? history[i - 1].Elapsed : TimeSpan.Zero))
                .Max();
            Assert.True(
                history[^1].Elapsed <= options.Specialists.MaxTrainingTime + longestEpoch,
                $"specialist {group} trained {history[^1].Elapsed}"
            );
        }
    }

    [Fact]
    public void Pretraining_UsesAtMostItsShareOfTheBudget()
    {
        var ml = new MLContext();
        var clock = new Stopwatch();
        var options = Endless(clock);
        options.Architecture = KeypointArchitecture.ConvNet3;
        options.Pretraining.Epochs = 1_000_000;
        options.ValidationFraction = 0;
        var pretraining = new List<PretrainingReport>();
        options.Pretraining.Progress = new PretrainingWatchdog(clock, 4 * Budget, pretraining);
        clock.Start();
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(DrawnFaces.Training(ml, 16));

        Assert.InRange(pretraining.Count, 1, options.Pretraining.Epochs - 1);
        var longestEpoch = pretraining
            .Zip(pretraining.Skip(1), (a, b) => b.Elapsed - a.Elapsed)
            .Append(pretraining[0].Elapsed)
            .Max();
        Assert.True(
            pretraining[^1].Elapsed <= options.TimeBudget.PretrainingShare * Budget + longestEpoch,
            $"pre-trained for {pretraining[^1].Elapsed} of a {Budget} budget"
        );
        Assert.NotEmpty(model.History);
        Assert.True(
            clock.Elapsed < Budget + TimeSpan.FromSeconds(3),
            $"Fit took {clock.Elapsed} for a budget of {Budget}"
        );
    }

    [Fact]
    public void ResumedRunWithSpecialists_SharesOutWhatTheInterruptedRunLeft()
    {
        var ml = new MLContext();
        WarmUp(ml);
        using var checkpoints = new TempFolder();
        var data = DrawnFaces.Training(ml, 32);
        var validation = DrawnFaces.Validation(ml, 16);
        var clock = Stopwatch.StartNew();
        KeypointCnnTrainer.Options Run()
        {
            var options = Endless(clock);
            options.Specialists.Enabled = true;
            options.ValidationData = validation;
            options.Checkpoints.Folder = checkpoints.Folder;
            // The crash comes after most of the budget: a resumed run that forgot it would give the specialists that
            // much more.
            options.TimeBudget.MaxTrainingTime = 2 * Budget;
            options.TimeBudget.BaseNetworkShare = 0.6;
            return options;
        }
        var crashing = Run();
        crashing.Progress = new CrashInFirstSpecialistEpoch((Watchdog)crashing.Progress!);
        Assert.Throws<SimulatedCrashException>(() => ml.Keypoints.Trainers.Cnn(crashing).Fit(data));

        var resuming = Run();
        resuming.Checkpoints.Resume = true;
        using var model = ml.Keypoints.Trainers.Cnn(resuming).Fit(data);

        // The recorded times of both processes together stay within the one budget: the resumed run knew how much the
        // interrupted one had used, instead of sharing the whole budget out again among the specialists.
        var stages = model.SpecialistHistories.Values.Append(model.History).Where(h => h.Count > 0).ToArray();
        var longestEpoch = stages
            .SelectMany(h => h.Select((e, i) => e.Elapsed - (i > 0 ? h[i - 1].Elapsed : TimeSpan.Zero)))
            .Max();
        double recorded = stages.Sum(h => h[^1].Elapsed.TotalSeconds);
        Assert.True(
            recorded <= (2 * Budget + longestEpoch).TotalSeconds,
            $"the stages recorded {recorded} s for a budget of {2 * Budget}"
        );
    }

    /// <summary>Loads the native libraries and runs every code path once, so the timed run's first epoch is not minutes
    /// of set-up.</summary>
    private static void WarmUp(MLContext ml)
    {
        var options = new KeypointCnnTrainer.Options
        {
            Architecture = KeypointArchitecture.Mlp,
            Seed = 1,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = 1, BatchSize = 32 },
            TimeBudget = { MaxTrainingTime = null },
            Specialists = { MaxEpochs = 1, Enabled = true },
        };
        using var model = ml.Keypoints.Trainers.Cnn(options).Fit(DrawnFaces.Training(ml, 32));
        model.Transform(DrawnFaces.Training(ml, 4)).Preview();
    }

    private sealed class SimulatedCrashException : Exception;

    private sealed class CrashInFirstSpecialistEpoch(Watchdog watchdog) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            watchdog.Report(value);
            if (value.Specialist is not null)
                throw new SimulatedCrashException();
        }
    }

    private sealed class BudgetIgnoredException(string message) : Exception(message);

    private sealed class Watchdog(Stopwatch clock, TimeSpan limit) : IProgress<EpochReport>
    {
        public void Report(EpochReport value)
        {
            if (clock.Elapsed > limit)
            {
                throw new BudgetIgnoredException(
                    $"Still training after {clock.Elapsed} ({value.Specialist ?? "base network"}, epoch {value.Epoch})."
                );
            }
        }
    }

    private sealed class PretrainingWatchdog(Stopwatch clock, TimeSpan limit, List<PretrainingReport> reports)
        : IProgress<PretrainingReport>
    {
        public void Report(PretrainingReport value)
        {
            reports.Add(value);
            if (clock.Elapsed > limit)
                throw new BudgetIgnoredException($"Still pre-training after {clock.Elapsed} (epoch {value.Epoch}).");
        }
    }
}
