using System.Diagnostics;
using System.Globalization;
using Keypoints.MLNet.Detection;

namespace Keypoints.Benchmarks;

/// <summary>The first minute's figure: <c>keypoints faces --model M --image photo --out overlay.png</c> as a fresh
/// process, start to exit, against the face detector alone as a fresh process (this program with <c>--detect-once
/// photo</c>: runtime start, the embedded detector's session, one detection), and against <c>keypoints --version</c>
/// (runtime start and the CLI's parser). Each is run once to warm the file cache, then <c>runs</c> times alternated;
/// the medians are printed.</summary>
internal static class ColdStart
{
    /// <summary>Prints the three medians and the ratios; returns the process exit code (1 when a run failed).</summary>
    public static int Run(string cliPath, string model, string image, int runs)
    {
        string folder = Directory.CreateTempSubdirectory("keypoints-cold-start-").FullName;
        try
        {
            return Measure(cliPath, model, image, runs, Path.Combine(folder, "overlay.png"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Measure(string cliPath, string model, string image, int runs, string overlay)
    {
        string self = Environment.ProcessPath!;
        var commands = new (string Name, string File, string[] Arguments)[]
        {
            (
                $"keypoints faces --model {model}",
                cliPath,
                ["faces", "--model", model, "--image", image, "--out", overlay]
            ),
            ("detector alone (--detect-once)", self, ["--detect-once", image]),
            ("keypoints --version", cliPath, ["--version"]),
        };
        var times = commands.Select(_ => new List<double>()).ToArray();
        for (int r = -1; r < runs; r++)
        {
            for (int c = 0; c < commands.Length; c++)
            {
                var clock = Stopwatch.StartNew();
                using var process = Process.Start(
                    new ProcessStartInfo(commands[c].File, commands[c].Arguments) { RedirectStandardOutput = true }
                )!;
                process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                if (process.ExitCode != 0)
                {
                    Console.Error.WriteLine(
                        $"error: {commands[c].File} {string.Join(' ', commands[c].Arguments)} exited with "
                            + $"{process.ExitCode}."
                    );
                    return 1;
                }
                if (r >= 0)
                    times[c].Add(clock.Elapsed.TotalSeconds);
            }
        }
        Console.WriteLine(
            string.Create(
                CultureInfo.InvariantCulture,
                $"cold start on {image}, median of {runs} runs each; {Environment.ProcessorCount} cores; load "
                    + $"{File.ReadAllText("/proc/loadavg").Trim()}"
            )
        );
        double faces = Median(times[0]);
        for (int c = 0; c < commands.Length; c++)
        {
            double median = Median(times[c]);
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{commands[c].Name, -40} {median, 7:F3} s  (min {times[c].Min():F3} s)  faces / this "
                        + $"{faces / median, 6:F2}"
                )
            );
        }
        return 0;
    }

    /// <summary>The baseline's body: one detection with the embedded detector, then exit.</summary>
    public static int DetectOnce(string image)
    {
        using var detector = new FaceDetector();
        Console.WriteLine($"{detector.Detect(image).Count} faces");
        return 0;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }
}
