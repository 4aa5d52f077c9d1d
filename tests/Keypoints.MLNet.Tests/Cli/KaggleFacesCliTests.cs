using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Tiers;

namespace Keypoints.MLNet.Tests.Cli;

/// <summary><c>faces</c> with a model trained on Kaggle's 96 x 96 grey crops (pixel values in, 15 keypoints out):
/// photos are framed from its own framing record the same way.</summary>
[Trait("Category", "Integration")]
public sealed class KaggleFacesCliTests(CliModelFixture fixture) : IClassFixture<CliModelFixture>
{
    [TierFact(Needs.FaceData)]
    public void FacesData_WithAKaggleModel_WritesTheFifteenKeypointColumns()
    {
        string csv = FacesCliTests.WriteScenesSubset(Path.Combine(fixture.Folder, "scenes-two.csv"), 2);
        string output = Path.Combine(fixture.Folder, "kaggle-faces.csv");

        var result = Cli.Run("faces", "--model", fixture.ModelPath, "--data", csv, "--out", output);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        string[] lines = File.ReadAllLines(output);
        Assert.Equal(
            "image,face,score,left,top,width,height," + string.Join(',', KeypointLayout.Kaggle15.CoordinateNames),
            lines[0]
        );
        Assert.True(lines.Length >= 5, string.Join('\n', lines));
        Assert.All(lines.Skip(1), l => Assert.Equal(7 + 30, l.Split(',').Length));
    }
}
