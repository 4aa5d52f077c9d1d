using System.IO.Compression;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Tests.Onnx;
using Keypoints.MLNet.Tests.Tiers;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary><c>mlContext.Keypoints.LoadModel</c>: the typed model back from a saved zip or a bare .onnx, and one-line
/// refusals for files that hold none.</summary>
public sealed class ModelLoadingTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void LoadModel_OfASavedZip_GivesTheSamePredictionsMetadataAndGraph()
    {
        using var temp = new TempFolder();
        string path = ModelFiles.SaveZip(fixture, temp.File("model.zip"));

        using var loaded = fixture.Ml.Keypoints.LoadModel<KeypointCnnModel>(path);

        AssertSameAsFitted(loaded, temp);
    }

    [Fact]
    public void LoadModel_OfABareOnnx_GivesTheSamePredictionsMetadataAndGraph()
    {
        using var temp = new TempFolder();
        string path = temp.File("model.onnx");
        fixture.Model.ExportOnnx(path);

        var loaded = Assert.IsType<KeypointCnnModel>(fixture.Ml.Keypoints.LoadModel(path));
        using (loaded)
            AssertSameAsFitted(loaded, temp);
    }

    [Fact]
    public void LoadModel_OfBytes_GivesTheSameModel_AndNamesTheSourceWhenTheyHoldNone()
    {
        using var temp = new TempFolder();
        string path = ModelFiles.SaveZip(fixture, temp.File("model.zip"));

        var loaded = Assert.IsType<KeypointCnnModel>(
            fixture.Ml.Keypoints.LoadModel(File.ReadAllBytes(path), "my resource")
        );
        using (loaded)
            AssertSameAsFitted(loaded, temp);

        var error = Assert.Throws<InvalidDataException>(() => fixture.Ml.Keypoints.LoadModel([1, 2, 3], "my resource"));
        Assert.Contains("'my resource'", error.Message, StringComparison.Ordinal);
    }

    [TierFact(Needs.OnnxChecker)]
    public void WithTestTimeFlip_OnALoadedModel_SwitchesAsOnTheFittedOne_AndOffAgainGivesTheOriginalGraph()
    {
        using var temp = new TempFolder();
        using var fittedFlip = fixture.Model.WithTestTimeFlip(true);
        string path = temp.File("flip.onnx");
        fittedFlip.ExportOnnx(path);
        OnnxChecker.Check(path);

        using var loaded = fixture.Ml.Keypoints.LoadModel<KeypointCnnModel>(path);
        using var plain = loaded.WithTestTimeFlip(false);
        using var flippedAgain = plain.WithTestTimeFlip(true);

        Assert.True(loaded.TestTimeFlip);
        Assert.False(plain.TestTimeFlip);
        Assert.Equal(fixture.Model.OnnxGraph.ToArray(), plain.OnnxGraph.ToArray());
        Assert.Equal(fittedFlip.OnnxGraph.ToArray(), flippedAgain.OnnxGraph.ToArray());
        Assert.Equal(
            Columns.Vectors(fittedFlip.Transform(fixture.Validation), "PredictedKeypoints"),
            Columns.Vectors(loaded.Transform(fixture.Validation), "PredictedKeypoints")
        );
    }

    [Fact]
    public void FittedModel_RecordsFramingMeasuredFromItsTrainingLabels()
    {
        var framing = Assert.IsType<FaceFraming>(fixture.Model.Framing);

        // Kaggle faces: eyes a little above the middle of the 96-pixel frame, about 40 px apart.
        Assert.InRange(framing.EyeMidpointX, 0.4, 0.6);
        Assert.InRange(framing.EyeMidpointY, 0.3, 0.5);
        Assert.InRange(framing.InterOcularDistance, 0.3, 0.5);
        Assert.InRange(framing.InterOcularDistanceStd, 0.001, 0.1);
        Assert.True(framing.Faces > 200, $"framing measured over {framing.Faces} faces");
    }

    [Fact]
    public void LoadModel_RefusesAVersion010Model_NamingItsVersion()
    {
        using var temp = new TempFolder();
        string path = ModelFiles.WriteVersion010Graph(temp.File("old.onnx"));

        var error = Assert.Throws<InvalidDataException>(() => fixture.Ml.Keypoints.LoadModel(path));

        AssertOneLineNaming(path, error);
        Assert.Contains("0.1.0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("text")]
    [InlineData("truncated zip")]
    [InlineData("truncated onnx")]
    [InlineData("zip without a keypoint graph")]
    public void LoadModel_ThrowsOneLineNamingTheFile_ForAFileWithoutAKeypointModel(string kind)
    {
        using var temp = new TempFolder();
        string path = temp.File("model.bin");
        switch (kind)
        {
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "text":
                File.WriteAllText(path, "epoch,loss\n1,0.5\n");
                break;
            case "truncated zip":
                byte[] zip = File.ReadAllBytes(ModelFiles.SaveZip(fixture, temp.File("whole.zip")));
                File.WriteAllBytes(path, zip[..(zip.Length / 2)]);
                break;
            case "truncated onnx":
                fixture.Model.ExportOnnx(temp.File("whole.onnx"));
                byte[] onnx = File.ReadAllBytes(temp.File("whole.onnx"));
                File.WriteAllBytes(path, onnx[..(onnx.Length / 2)]);
                break;
            default:
                using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
                using (var writer = new StreamWriter(archive.CreateEntry("TransformerChain/Model.key").Open()))
                    writer.Write("not an onnx model");
                break;
        }

        var error = Assert.Throws<InvalidDataException>(() => fixture.Ml.Keypoints.LoadModel(path));

        AssertOneLineNaming(path, error);
    }

    [Fact]
    public void LoadModel_Throws_WhenTheFileDoesNotExist()
    {
        string path = Path.Combine(Path.GetTempPath(), $"keypoints-missing-{Guid.NewGuid():N}.zip");

        var error = Assert.Throws<FileNotFoundException>(() => fixture.Ml.Keypoints.LoadModel(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private void AssertSameAsFitted(KeypointCnnModel loaded, TempFolder temp)
    {
        Assert.Equal(fixture.Model.Metadata.ToJson(), loaded.Metadata.ToJson());
        Assert.Equal(fixture.Model.History, loaded.History);
        Assert.Equal(fixture.Model.Layout.FlipPairs, loaded.Layout.FlipPairs);
        Assert.Equal(fixture.Model.Layout.Groups.Select(g => g.Name), loaded.Layout.Groups.Select(g => g.Name));
        Assert.Equal(fixture.Model.Framing, loaded.Framing);
        Assert.Equal(fixture.Model.FlipAxisOffset, loaded.FlipAxisOffset);
        Assert.Equal(
            Columns.Vectors(fixture.Model.Transform(fixture.Validation), "PredictedKeypoints"),
            Columns.Vectors(loaded.Transform(fixture.Validation), "PredictedKeypoints")
        );
        string exported = temp.File("exported-again.onnx");
        loaded.ExportOnnx(exported);
        Assert.Equal(fixture.Model.OnnxGraph.ToArray(), File.ReadAllBytes(exported));
    }

    private static void AssertOneLineNaming(string path, InvalidDataException error)
    {
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
