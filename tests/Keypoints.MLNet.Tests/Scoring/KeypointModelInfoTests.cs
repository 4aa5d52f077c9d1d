using System.IO.Compression;
using Keypoints.MLNet.Scoring;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary>Reading layout, history and first-layer kernels back from saved models and exported graphs.</summary>
public sealed class KeypointModelInfoTests(TrainedModelFixture fixture) : IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Load_OfASavedZip_GivesTheTrainingHistoryAndTheFirstConvolutionWeights()
    {
        using var temp = new TempFolder();

        var info = KeypointModelInfo.Load(ModelFiles.SaveZip(fixture, temp.File("model.zip")));

        AssertDescribesFixtureModel(info);
    }

    [Fact]
    public void Load_OfAnExportedOnnxFile_GivesTheSameAsTheZip()
    {
        using var temp = new TempFolder();
        string onnx = temp.File("model.onnx");
        fixture.Model.ExportOnnx(onnx);

        var info = KeypointModelInfo.Load(onnx);

        AssertDescribesFixtureModel(info);
    }

    [Fact]
    public void Load_NamesTheFile_WhenTheZipHoldsNoKeypointModel()
    {
        using var temp = new TempFolder();
        string path = temp.File("other.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        using (var writer = new StreamWriter(zip.CreateEntry("TransformerChain/Model.key").Open()))
            writer.Write("not an onnx model");

        var error = Assert.Throws<InvalidDataException>(() => KeypointModelInfo.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("no ONNX model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamesTheFileAndVersion_WhenTheModelIsFrom010()
    {
        using var temp = new TempFolder();
        string path = ModelFiles.WriteVersion010Graph(temp.File("old.onnx"));

        var error = Assert.Throws<InvalidDataException>(() => KeypointModelInfo.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("0.1.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamesTheFile_WhenItIsNotAModel()
    {
        using var temp = new TempFolder();
        string path = temp.Write("notes.txt", "hello");

        var error = Assert.Throws<InvalidDataException>(() => KeypointModelInfo.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    private void AssertDescribesFixtureModel(KeypointModelInfo info)
    {
        var layout = fixture.Model.Layout;
        Assert.Equal(layout.Name, info.LayoutName);
        Assert.Equal(layout.KeypointNames, info.KeypointNames);
        Assert.Equal((layout.ImageWidth, layout.ImageHeight), (info.ImageWidth, info.ImageHeight));
        Assert.Equal(fixture.Model.History, info.History);
        Assert.Equal(2, info.History.Count);

        var (shape, weights) = ModelFiles.FirstConvolutionWeights(fixture);
        var kernels = Assert.IsType<ConvolutionKernels>(info.FirstLayerKernels);
        Assert.Equal(shape, new long[] { kernels.Count, kernels.Channels, kernels.Height, kernels.Width });
        Assert.Equal(weights, kernels.Weights.ToArray());
        Assert.Equal(
            weights.AsSpan(kernels.Height * kernels.Width, kernels.Height * kernels.Width),
            kernels.Kernel(1, 0)
        );
    }
}
