using Keypoints.MLNet.Data;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Images;

public sealed class KeypointImageCsvTests : IDisposable
{
    private readonly TempFolder folder = new();
    private readonly MLContext ml = new(seed: 1);

    public void Dispose() => folder.Dispose();

    [TierFact(Needs.FaceData)]
    public void Load_InfersIbug68_AndResolvesImagesBesideTheCsv()
    {
        var data = ml.Data.Keypoints.LoadImageCsv(SharedData.Path("landmarks68", "validation.csv"));
        Assert.Equal("Ibug68", data.Layout.Name);
        Assert.Equal((160, 160), (data.Layout.ImageWidth, data.Layout.ImageHeight));
        Assert.Equal(627, data.ImagePaths.Count);
        Assert.All(data.ImagePaths.Take(5), p => Assert.True(File.Exists(p), p));
        Assert.Equal(136, ((Microsoft.ML.Data.VectorDataViewType)data.Schema["Keypoints"].Type).Size);
    }

    [TierFact(Needs.FaceData)]
    public void Load_NamesFileLineAndImage_WhenARowNamesAMissingImage()
    {
        string csv = ImageFiles.WriteCsv(folder, "missing.csv", "validation", 3);
        string[] lines = File.ReadAllLines(csv);
        lines[2] = "no/such/face.jpg" + lines[2][lines[2].IndexOf(',', StringComparison.Ordinal)..];
        File.WriteAllLines(csv, lines);
        var error = Assert.Throws<KeypointDataException>(() => ml.Data.Keypoints.LoadImageCsv(csv));
        Assert.Equal(3, error.Line);
        Assert.Contains("missing.csv line 3, column 1 (image)", error.Message, StringComparison.Ordinal);
        Assert.Contains("face.jpg' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("image,x0,y0\n")]
    public void Load_NamesTheFile_WhenItIsEmptyOrHasOnlyAHeader(string text)
    {
        string csv = folder.Write("bad.csv", text);

        var error = Assert.Throws<KeypointDataException>(() => ml.Data.Keypoints.LoadImageCsv(csv));

        Assert.Equal(csv, error.FilePath);
        Assert.StartsWith("bad.csv line 1: the file ", error.Message, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public void Load_NamesTheImage_WhenItIsCorruptOrNotAnImage()
    {
        folder.Write("corrupt.jpg", "this is not a JPEG");
        string csv = ImageFiles.WriteCsv(folder, "corrupt.csv", "validation", 2);
        string[] lines = File.ReadAllLines(csv);
        lines[1] = "corrupt.jpg" + lines[1][lines[1].IndexOf(',', StringComparison.Ordinal)..];
        File.WriteAllLines(csv, lines);
        var error = Assert.Throws<KeypointDataException>(() => ml.Data.Keypoints.LoadImageCsv(csv));
        Assert.Contains("corrupt.csv line 2, column 1 (image)", error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt.jpg' is not an image that can be read", error.Message, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public void Load_NamesTheImage_WhenItIsTruncated()
    {
        string csv = ImageFiles.WriteCsv(folder, "truncated.csv", "validation", 2);
        string[] lines = File.ReadAllLines(csv);
        string original = Path.Combine(folder.Folder, lines[2][..lines[2].IndexOf(',', StringComparison.Ordinal)]);
        byte[] bytes = File.ReadAllBytes(original);
        File.WriteAllBytes(Path.Combine(folder.Folder, "truncated.jpg"), bytes[..(bytes.Length / 2)]);
        lines[2] = "truncated.jpg" + lines[2][lines[2].IndexOf(',', StringComparison.Ordinal)..];
        File.WriteAllLines(csv, lines);

        var error = Assert.Throws<KeypointDataException>(() => ml.Data.Keypoints.LoadImageCsv(csv));

        Assert.Contains("truncated.csv line 3, column 1 (image)", error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated.jpg' cannot be decoded completely", error.Message, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public void Load_NamesTheColumn_WhenAKeypointLiesOutsideTheImage()
    {
        string csv = ImageFiles.WriteCsv(folder, "outside.csv", "validation", 2, [30, 36]);
        string[] lines = File.ReadAllLines(csv);
        string[] fields = lines[1].Split(',');
        fields[4] = "171.5";
        lines[1] = string.Join(",", fields);
        File.WriteAllLines(csv, lines);
        var error = Assert.Throws<KeypointDataException>(() => ml.Data.Keypoints.LoadImageCsv(csv));
        Assert.Contains("outside.csv line 2, column 5 (y1)", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the 160 x 160 image", error.Message, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public void Load_FindsFlipPairs_FromNamedColumns()
    {
        string csv = ImageFiles.WriteCsv(folder, "named.csv", "validation", 2, [36, 45, 30]);
        string[] lines = File.ReadAllLines(csv);
        lines[0] = "image,right_eye_outer_x,right_eye_outer_y,left_eye_outer_x,left_eye_outer_y,nose_tip_x,nose_tip_y";
        File.WriteAllLines(csv, lines);
        var data = ml.Data.Keypoints.LoadImageCsv(csv);
        Assert.Equal(["right_eye_outer", "left_eye_outer", "nose_tip"], data.Layout.KeypointNames);
        Assert.Equal([1, 0, 2], data.Layout.FlipPermutation);
    }
}
