using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary>A model given pixels of another size says which column, which size it expects and which it found.</summary>
public sealed class KeypointCnnModelInputTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly MLContext ml = new(seed: 1);

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Transform_NamesTheColumnAndBothSizes_WhenTheImagesAreLargerThanTheModelsInput()
    {
        using var model = ml
            .Keypoints.Trainers.Cnn(
                new KeypointCnnTrainer.Options
                {
                    Architecture = KeypointArchitecture.Mlp,
                    ValidationFraction = 0,
                    Augmentation = AugmentationOptions.None,
                    TestTimeFlip = false,
                    Schedule = { MaxEpochs = 1 },
                    TimeBudget = { MaxTrainingTime = null },
                }
            )
            .Fit(DrawnFaces.Training(ml, 32));
        string[] rows = File.ReadLines(DrawnFaces.TrainingCsv).Take(2).ToArray();
        string keypoints = string.Join(",", rows[1].Split(',').Take(30));
        string csv = temp.Write(
            "large.csv",
            rows[0] + "\n" + keypoints + "," + string.Join(" ", Enumerable.Repeat("100", 128 * 128)) + "\n"
        );
        var large = ml.Data.Keypoints.LoadFkdCsv(csv, 128, 128);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(large));

        Assert.StartsWith(
            "The pixel column 'Image' must be Vector<Single, 9216> (the model's input of 96 x 96 pixels, 1 channel); "
                + "found Vector<Single, 16384>.",
            error.Message,
            StringComparison.Ordinal
        );
    }
}
