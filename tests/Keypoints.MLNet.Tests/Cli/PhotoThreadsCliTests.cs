using System.Text.RegularExpressions;
using Keypoints.MLNet.Tests.Photos;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary><c>--threads</c> of <c>faces --data</c> and <c>evaluate --faces</c>, with the shipped face68 model on
/// pictures made from the repository's portrait (<see cref="SamplePhotos"/>): photos scored side by side give the same
/// files and lines as one at a time.</summary>
[Trait("Category", "Integration")]
public sealed class PhotoThreadsCliTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void FacesData_OnSeveralThreads_WritesTheSameCsvAsOneThread()
    {
        string photos = WritePhotoCsv();

        var csvs = new[] { "1", "2", "3" }.Select(threads =>
        {
            string output = folder.File($"faces-{threads}.csv");
            var result = Cli.Run("faces", "--data", photos, "--out", output, "--threads", threads);
            Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
            Assert.Matches(
                $@"^wrote {Regex.Escape(output)}: 12 faces in 8 images, \d+\.\d\d s \(\d+\.\d images/s, decode to "
                    + $@"keypoints, {threads} at once\)",
                result.StandardOutput
            );
            return File.ReadAllText(output);
        });

        string[] distinct = csvs.Distinct().ToArray();
        Assert.Single(distinct);
        Assert.Equal(1 + 12, distinct[0].Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void EvaluateFaces_OnSeveralThreads_PrintsTheSameLinesAsOneThread()
    {
        // Labels: each photo's faces as face68 itself finds them, so every face is found with an NME under 0.001 (the
        // CSV's 2 decimals).
        string found = folder.File("found.csv");
        var faces = Cli.Run("faces", "--data", WritePhotoCsv(), "--out", found, "--threads", "1");
        Assert.True(faces.ExitCode == 0, faces.StandardOutput + faces.StandardError);
        string labels = folder.Write(
            "labels.csv",
            string.Join(
                '\n',
                File.ReadLines(found).Select(line => string.Join(',', line.Split(',').Where((_, i) => i == 0 || i > 6)))
            )
        );

        var outputs = new[] { "1", "2" }
            .Select(threads => Cli.Run("evaluate", "--data", labels, "--faces", "--threads", threads))
            .ToArray();

        Assert.All(outputs, r => Assert.True(r.ExitCode == 0, r.StandardOutput + r.StandardError));
        Assert.Equal(outputs[0].StandardOutput, outputs[1].StandardOutput);
        Assert.StartsWith("faces 12\nfound 12\nrecall 1.0000\nfalse 0\nNME 0.000", outputs[0].StandardOutput);
    }

    [Theory]
    [InlineData("faces", "--image", "photo.jpg", "--out", "x.png", "--threads", "2")]
    [InlineData("faces", "--data", "photos.csv", "--out", "x.csv", "--threads", "0")]
    [InlineData("evaluate", "--data", "photos.csv", "--threads", "2")]
    [InlineData("evaluate", "--data", "photos.csv", "--faces", "--photo-model", "--threads", "2")]
    public void Threads_WhereItDoesNotApplyOrBelowOne_IsAUsageError(params string[] arguments)
    {
        var result = Cli.Run(arguments);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--threads", result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>A photo CSV in the test's folder naming the sample scenes, frames and portrait (8 photos, 12
    /// faces).</summary>
    private string WritePhotoCsv()
    {
        string[] photos = [.. SamplePhotos.Scenes, .. SamplePhotos.Frames, SamplePhotos.Portrait];
        return folder.Write(
            "photos.csv",
            string.Join('\n', ["image", .. photos.Select(p => Path.GetRelativePath(folder.Folder, p))])
        );
    }
}
