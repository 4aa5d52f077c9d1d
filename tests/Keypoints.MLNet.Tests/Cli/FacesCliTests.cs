using System.Globalization;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Tiers;
using SkiaSharp;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary>The CLI on photos: <c>faces --image</c>, <c>faces --data</c> and <c>evaluate --faces</c>, with the small
/// image-file model of <see cref="ImageFileCliFixture"/> (its points are rough; these tests check the files and the
/// lines, not skill).</summary>
[Trait("Category", "Integration")]
public sealed class FacesCliTests(ImageFileCliFixture fixture) : IClassFixture<ImageFileCliFixture>
{
    [TierFact(Needs.FaceData)]
    public void FacesData_WritesOneRowPerFace_WithTheExactHeader_ScoringRepeatedPathsOnce()
    {
        string csv = ScenesSubset("faces-input.csv", 3);
        string output = fixture.File("faces.csv");

        var result = Cli.Run("faces", "--model", fixture.ModelPath, "--data", csv, "--out", output);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        string[] lines = File.ReadAllLines(output);
        Assert.Equal(
            "image,face,score,left,top,width,height," + string.Join(',', KeypointLayout.Ibug68.CoordinateNames),
            lines[0]
        );
        string[][] rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.All(rows, r => Assert.Equal(7 + 136, r.Length));
        // Three pictures of 2-4 faces each, each picture's faces numbered from 0 in a row.
        var perImage = rows.GroupBy(r => r[0]).ToArray();
        Assert.Equal(3, perImage.Length);
        Assert.All(perImage, g =>
            Assert.Equal(
                Enumerable.Range(0, g.Count()).Select(i => i.ToString(CultureInfo.InvariantCulture)),
                g.Select(r => r[1])
            )
        );
        Assert.InRange(rows.Length, 6, 12);
    }

    [TierFact(Needs.FaceData)]
    public void FacesImage_DrawsTheFacesOnAPng()
    {
        string csv = ScenesSubset("faces-one.csv", 1);
        string image = Path.Combine(Path.GetDirectoryName(csv)!, File.ReadLines(csv).Skip(1).First().Split(',')[0]);
        string output = fixture.File("faces.png");

        var result = Cli.Run("faces", "--model", fixture.ModelPath, "--image", image, "--out", output);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Matches(@"wrote .*faces\.png: [2-4] faces on ", result.StandardOutput);
        using var png = SKBitmap.Decode(output);
        Assert.Equal((640, 480), (png.Width, png.Height));
    }

    [TierFact(Needs.FaceData)]
    public void EvaluateFaces_PrintsFacesFoundRecallFalseAndNme_EachAloneOnALine()
    {
        string csv = ScenesSubset("evaluate-faces.csv", 3);
        int labelled = File.ReadLines(csv).Count() - 1;

        var result = Cli.Run("evaluate", "--model", fixture.ModelPath, "--data", csv, "--faces");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"faces {labelled}", lines[0]);
        Assert.Matches(@"^found \d+$", lines[1]);
        Assert.Matches(@"^recall [01]\.\d{4}$", lines[2]);
        Assert.Matches(@"^false \d+$", lines[3]);
        Assert.Matches(@"^NME \d+\.\d{4}$", lines[4]);
        // The detector finds nearly every pasted face whatever the keypoint model.
        Assert.True(int.Parse(lines[1][6..], CultureInfo.InvariantCulture) >= labelled - 1, result.StandardOutput);
    }

    [TierFact(Needs.FaceData)]
    public void PhotoModel_SavesAChainThatPlainMLNetLoads_AndThatFindsTheFacesOfAScene()
    {
        string csv = ScenesSubset("photo-model.csv", 1);
        string image = Path.Combine(Path.GetDirectoryName(csv)!, File.ReadLines(csv).Skip(1).First().Split(',')[0]);
        string output = fixture.File("photos.zip");

        var result = Cli.Run("photo-model", "--model", fixture.ModelPath, "--out", output, "--max-faces", "5");

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Contains("input column 'ImagePath'", result.StandardOutput, StringComparison.Ordinal);
        var ml = new Microsoft.ML.MLContext();
        var loaded = ml.Model.Load(output, out var schema);
        var faces = Photos.KeypointPhotoModelTests.Score(ml, loaded, [image]).Single();
        Assert.Equal(5, faces.FaceScores.Length);
        Assert.InRange(faces.FaceCount[0], 2, 4);
        Assert.Equal("ImagePath", Assert.Single(schema).Name);
    }

    [TierFact(Needs.FaceData)]
    public void PhotoModel_WithAWorkingSizeThatIsNoMultipleOfEight_IsAUsageError()
    {
        var result = Cli.Run(
            "photo-model",
            "--model",
            fixture.ModelPath,
            "--out",
            fixture.File("bad.zip"),
            "--working-size",
            "300"
        );

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("WorkingSize", result.StandardError, StringComparison.Ordinal);
    }

    /// <summary>The rows of the first <paramref name="pictures"/> pictures of <c>photos/scenes.csv</c>, in a CSV in the
    /// fixture's folder whose image paths are relative to it.</summary>
    private string ScenesSubset(string name, int pictures) => WriteScenesSubset(fixture.File(name), pictures);

    /// <summary>As <see cref="ScenesSubset(string, int)"/>, written to <paramref name="target"/>.</summary>
    internal static string WriteScenesSubset(string target, int pictures)
    {
        string scenes = SharedData.Path("photos", "scenes.csv");
        string folder = Path.GetDirectoryName(scenes)!;
        string[] lines = File.ReadLines(scenes).ToArray();
        var images = lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().Take(pictures).ToHashSet();
        var rows = lines
            .Skip(1)
            .Where(l => images.Contains(l.Split(',')[0]))
            .Select(l =>
            {
                int comma = l.IndexOf(',', StringComparison.Ordinal);
                string relative = Path.GetRelativePath(
                    Path.GetDirectoryName(target)!,
                    Path.Combine(folder, l[..comma])
                );
                return relative + l[comma..];
            });
        File.WriteAllLines(target, [lines[0], .. rows]);
        return target;
    }
}
