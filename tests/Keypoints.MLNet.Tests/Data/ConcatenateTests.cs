using Keypoints.MLNet.Tests.Images;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Data;

/// <summary><c>mlContext.Data.Keypoints.Concatenate</c>: several files of one layout as one lazy view.</summary>
public sealed class ConcatenateTests
{
    private readonly MLContext ml = new();

    [TierFact(Needs.FaceData)]
    public void Concatenate_GivesEveryRowOfEachView_InOrder_WithTheFirstViewsLayout()
    {
        var training = ml.Data.Keypoints.LoadFkdCsv(SmallFaces.TrainingCsv);
        var validation = ml.Data.Keypoints.LoadFkdCsv(SmallFaces.ValidationCsv);

        var both = ml.Data.Keypoints.Concatenate([ml.Data.TakeRows(training, 30), validation]);

        float[][] expected = Columns
            .Vectors(ml.Data.TakeRows(training, 30), "Keypoints")
            .Concat(Columns.Vectors(validation, "Keypoints"))
            .ToArray();
        float[][] rows = Columns.Vectors(both, "Keypoints");
        Assert.Equal(expected.Length, rows.Length);
        Assert.Equal(expected, rows);
        Assert.Equal(9216, Columns.Vectors(both, "Image")[^1].Length);
        // The layout travels: filtering needs no layout argument, as for a loader's view.
        Assert.Equal(
            Columns.Vectors(ml.Data.Keypoints.FilterMissing(ml.Data.TakeRows(training, 30)), "Keypoints").Length
                + expected.Length
                - 30,
            Columns.Vectors(ml.Data.Keypoints.FilterMissing(both), "Keypoints").Length
        );
    }

    [TierFact(Needs.FaceData)]
    public void Concatenate_OfImageFileCsvs_KeepsTheImagePaths()
    {
        using var folder = new TempFolder();
        var first = ml.Data.Keypoints.LoadImageCsv(ImageFiles.WriteCsv(folder, "a.csv", "train", 5));
        var second = ml.Data.Keypoints.LoadImageCsv(ImageFiles.WriteCsv(folder, "b.csv", "validation", 4));

        var both = ml.Data.Keypoints.Concatenate([first, second]);

        string[] paths = ml
            .Data.CreateEnumerable<PathRow>(both, reuseRowObject: false)
            .Select(r => r.ImagePath)
            .ToArray();
        Assert.Equal(first.ImagePaths.Concat(second.ImagePaths), paths);
    }

    [TierFact(Needs.FaceData)]
    public void Concatenate_RefusesViewsWithOtherKeypoints_NamingTheFileAndTheFirstDifference()
    {
        using var folder = new TempFolder();
        var all = ml.Data.Keypoints.LoadImageCsv(ImageFiles.WriteCsv(folder, "all.csv", "train", 3));
        string fewer = ImageFiles.WriteCsv(
            folder,
            "fewer.csv",
            "train",
            3,
            keypoints: Enumerable.Range(0, 68).Where(k => k != 5).ToArray()
        );

        var error = Assert.Throws<ArgumentException>(() =>
            ml.Data.Keypoints.Concatenate([all, ml.Data.Keypoints.LoadImageCsv(fewer)])
        );

        Assert.Contains(fewer, error.Message, StringComparison.Ordinal);
        Assert.Contains("column", error.Message, StringComparison.Ordinal);
        var kaggle = ml.Data.Keypoints.LoadFkdCsv(SmallFaces.ValidationCsv);
        Assert.Throws<ArgumentException>(() => ml.Data.Keypoints.Concatenate([kaggle, all]));
        Assert.Throws<ArgumentException>(() => ml.Data.Keypoints.Concatenate([]));
        Assert.Same(kaggle, ml.Data.Keypoints.Concatenate([kaggle]));
        // Kaggle's keypoint names resolve on the concatenation as on the file.
        Assert.Equal(
            2
                * Columns
                    .Vectors(ml.Data.Keypoints.FilterMissing(kaggle, keypointNames: ["nose_tip"]), "Keypoints")
                    .Length,
            Columns
                .Vectors(
                    ml.Data.Keypoints.FilterMissing(
                        ml.Data.Keypoints.Concatenate([kaggle, kaggle]),
                        keypointNames: ["nose_tip"]
                    ),
                    "Keypoints"
                )
                .Length
        );
    }

    [TierFact(Needs.FaceData)]
    public void Concatenate_RefusesTheSameColumnsWithKeypointsInAnotherOrder()
    {
        using var folder = new TempFolder();
        var eyes = ml.Data.Keypoints.LoadImageCsv(
            ImageFiles.WriteCsv(folder, "eyes.csv", "train", 2, [36, 45], ["left_eye", "right_eye"])
        );
        string swapped = ImageFiles.WriteCsv(folder, "swapped.csv", "train", 2, [45, 36], ["right_eye", "left_eye"]);

        var error = Assert.Throws<ArgumentException>(() =>
            ml.Data.Keypoints.Concatenate([eyes, ml.Data.Keypoints.LoadImageCsv(swapped)])
        );

        Assert.Contains($"'{swapped}' cannot follow", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            "keypoint 1 is 'right_eye' there and 'left_eye' in the first",
            error.Message,
            StringComparison.Ordinal
        );
    }

    private sealed class PathRow
    {
        public string ImagePath { get; set; } = "";
    }
}
