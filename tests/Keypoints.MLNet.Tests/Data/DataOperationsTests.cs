using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Tests.Tiers;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Data;

/// <summary><c>FilterMissing</c> and <c>AppendFlipped</c> on the real training file.</summary>
public sealed class DataOperationsTests
{
    private readonly MLContext ml = new();

    [TierFact(Needs.FaceData)]
    public void FilterMissing_KeepsOnlyCompleteRows_ByDefault()
    {
        var data = ml.Data.Keypoints.LoadFkdCsv(SmallFaces.TrainingCsv);
        float[][] labels = Columns.Vectors(ml.Data.Keypoints.FilterMissing(data), "Keypoints");
        Assert.Equal(898, labels.Length); // the data README: 898 of 2946 rows are complete
        Assert.All(labels, row => Assert.DoesNotContain(row, float.IsNaN));
    }

    [TierFact(Needs.FaceData)]
    public void FilterMissing_ForChosenKeypoints_KeepsRowsWhereThoseArePresent()
    {
        var data = ml.Data.Keypoints.LoadFkdCsv(SmallFaces.TrainingCsv);
        float[][] all = Columns.Vectors(data, "Keypoints");
        int nose = KeypointLayout.Kaggle15.IndexOf("nose_tip");
        float[][] kept = Columns.Vectors(
            ml.Data.Keypoints.FilterMissing(data, keypointNames: ["nose_tip"]),
            "Keypoints"
        );
        Assert.Equal(all.Count(r => !float.IsNaN(r[2 * nose])), kept.Length);
        Assert.True(kept.Length > 898 && kept.Length < 2946);
        Assert.Throws<ArgumentException>(() => ml.Data.Keypoints.FilterMissing(data, keypointNames: ["chin"]));
    }

    [TierFact(Needs.FaceData)]
    public void AppendFlipped_DoublesTheRows_AndMirrorsImagesAndKeypoints()
    {
        var data = ml.Data.TakeRows(ml.Data.Keypoints.LoadFkdCsv(SmallFaces.ValidationCsv), 3);
        var doubled = ml.Data.Keypoints.AppendFlipped(data);
        float[][] images = Columns.Vectors(doubled, "Image");
        float[][] labels = Columns.Vectors(doubled, "Keypoints");
        Assert.Equal(6, images.Length);
        var layout = KeypointLayout.Kaggle15;
        int left = layout.IndexOf("left_eye_center"),
            right = layout.IndexOf("right_eye_center");
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(images[r][5 * 96 + 7], images[r + 3][5 * 96 + 88]);
            Assert.Equal(95 - labels[r][2 * right], labels[r + 3][2 * left], 4);
            Assert.Equal(labels[r][2 * right + 1], labels[r + 3][2 * left + 1]);
        }
        float[][] twice = Columns.Vectors(
            ml.Data.Keypoints.AppendFlipped(ml.Data.TakeRows(ml.Data.SkipRows(doubled, 3), 3)),
            "Keypoints"
        );
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 30; c++)
                Assert.Equal(labels[r][c], twice[r + 3][c], 3); // flipping twice gives the original back
        }
    }

    [TierFact(Needs.FaceData)]
    public void AppendFlipped_WithAnAxisOffset_MirrorsTheLabelsAboutTheMovedAxis()
    {
        var data = ml.Data.TakeRows(ml.Data.Keypoints.LoadFkdCsv(SmallFaces.ValidationCsv), 2);
        float[][] labels = Columns.Vectors(ml.Data.Keypoints.AppendFlipped(data, flipAxisOffset: 1.25), "Keypoints");
        int nose = KeypointLayout.Kaggle15.IndexOf("nose_tip");
        for (int r = 0; r < 2; r++)
        {
            Assert.Equal(95 + 2.5f - labels[r][2 * nose], labels[r + 2][2 * nose], 4);
            Assert.Equal(labels[r][2 * nose + 1], labels[r + 2][2 * nose + 1]);
        }
    }
}
