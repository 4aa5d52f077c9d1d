using System.Globalization;
using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Data;

/// <summary><see cref="FkdSubmission"/>: writing <c>RowId,Location</c> files.</summary>
public sealed class FkdSubmissionTests : IDisposable
{
    private static readonly KeypointLayout TwoPoints = KeypointLayout.FromCoordinateColumns(
        "two",
        ["a_x", "a_y", "b_x", "b_y"],
        96,
        96
    );
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Write_WritesRowsInLookupOrder_ClippedToTheImage()
    {
        var lookup = new IdLookupTable([
            new(2, 10, "b_y"),
            new(1, 10, "a_x"),
            new(3, 11, "a_x"),
            new(4, 11, "a_y"),
            new(5, 11, "b_x"),
            new(6, 11, "b_y"),
        ]);
        var predictions = new Dictionary<int, float[]>
        {
            [10] = [1.5f, 2f, 3f, 4.25f],
            [11] = [-3f, 100f, 96.5f, 0.1f],
        };
        string path = temp.File("submission.csv");

        FkdSubmission.Write(path, lookup, predictions, TwoPoints);

        Assert.Equal("RowId,Location\n2,4.25\n1,1.5\n3,0\n4,96\n5,96\n6,0.1\n", File.ReadAllText(path));
    }

    [Fact]
    public void Write_OfScoredRows_WritesTheirPredictions()
    {
        var lookup = new IdLookupTable([new(1, 10, "a_x"), new(2, 11, "b_y")]);
        var test = FkdCsv.LoadTest(temp.Write("test.csv", "ImageId,Image\n10,1 2 3 4\n11,5 6 7 8\n"), 2, 2);
        string path = temp.File("submission.csv");

        FkdSubmission.Write(path, lookup, PixelsAsPredictions(test), TwoPoints);

        Assert.Equal("RowId,Location\n1,1\n2,8\n", File.ReadAllText(path));
    }

    [Fact]
    public void Write_OfScoredRows_ReportsTheTestFilesError_WhenMLNetWrapsIt()
    {
        var lookup = new IdLookupTable([new(1, 10, "a_x")]);
        var test = FkdCsv.LoadTest(temp.Write("test.csv", "ImageId,Image\n10,1 2 3 4\n11,5 6 7\n"), 2, 2);

        var error = Assert.Throws<KeypointDataException>(() =>
            FkdSubmission.Write(temp.File("submission.csv"), lookup, PixelsAsPredictions(test), TwoPoints)
        );

        Assert.Equal("test.csv line 3, column 2 (Image): expected 4 grey levels, found 3.", error.Message);
    }

    [Fact]
    public void Write_Fails_WhenAnImageHasNoPrediction_AndLeavesTheFileAsItWas()
    {
        string path = temp.Write("submission.csv", "previous");
        var lookup = new IdLookupTable([new(1, 10, "a_x"), new(2, 12, "a_y")]);
        var predictions = new Dictionary<int, float[]> { [10] = [1f, 2f, 3f, 4f] };

        var error = Assert.Throws<ArgumentException>(() => FkdSubmission.Write(path, lookup, predictions, TwoPoints));

        Assert.Contains("RowId 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("image 12", error.Message, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(temp.Folder));
    }

    [Fact]
    public void Write_Fails_WhenAFeatureIsNotInTheLayout()
    {
        var lookup = new IdLookupTable([new(1, 10, "a_x"), new(2, 10, "nose_tip_x")]);
        var predictions = new Dictionary<int, float[]> { [10] = [1f, 2f, 3f, 4f] };
        string path = temp.File("submission.csv");

        var error = Assert.Throws<ArgumentException>(() => FkdSubmission.Write(path, lookup, predictions, TwoPoints));

        Assert.Contains("RowId 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("nose_tip_x", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(temp.Folder));
    }

    [Theory]
    [InlineData(float.NaN, 4)]
    [InlineData(1f, 3)]
    public void Write_Fails_WhenAPredictionIsNotFiniteOrHasTheWrongLength(float value, int length)
    {
        var lookup = new IdLookupTable([new(7, 10, "a_x")]);
        var predictions = new Dictionary<int, float[]> { [10] = Enumerable.Repeat(value, length).ToArray() };

        var error = Assert.Throws<ArgumentException>(() =>
            FkdSubmission.Write(temp.File("submission.csv"), lookup, predictions, TwoPoints)
        );

        Assert.Contains("RowId 7", error.Message, StringComparison.Ordinal);
    }

    [TierFact(Needs.FaceData)]
    public void Write_SubmitsTheValidationLabels_ForTheSharedLookupTable()
    {
        // test.csv holds the validation images in order, so validation.csv is the answer key.
        var lookup = IdLookupTable.Load(SharedData.Path("fkd", "IdLookupTable.csv"));
        var answers = FkdRows.Vectors(
            FkdCsv.LoadTraining(SharedData.Path("fkd", "validation.csv")),
            FkdCsv.KeypointsColumnName
        );
        var predictions = answers
            .Select((keypoints, i) => (Id: i + 1, keypoints))
            .ToDictionary(p => p.Id, p => p.keypoints);
        string path = temp.File("submission.csv");

        FkdSubmission.Write(path, lookup, predictions, KeypointLayout.Kaggle15);

        string[] lines = File.ReadAllLines(path);
        Assert.Equal(lookup.Entries.Count + 1, lines.Length);
        Assert.Equal("RowId,Location", lines[0]);
        for (int i = 0; i < lookup.Entries.Count; i++)
        {
            var entry = lookup.Entries[i];
            string[] fields = lines[i + 1].Split(',');
            float expected = answers[entry.ImageId - 1][
                KeypointLayout.Kaggle15.CoordinateNames.ToList().IndexOf(entry.FeatureName)
            ];
            Assert.Equal(entry.RowId.ToString(CultureInfo.InvariantCulture), fields[0]);
            Assert.Equal(expected, float.Parse(fields[1], CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A transformed view, as a model's output is: the 2 x 2 pixels stand in for the four
    /// coordinates.</summary>
    private static IDataView PixelsAsPredictions(IDataView test)
    {
        var ml = new MLContext(seed: 1);
        return ml.Transforms.CopyColumns("PredictedKeypoints", FkdCsv.ImageColumnName).Fit(test).Transform(test);
    }
}
