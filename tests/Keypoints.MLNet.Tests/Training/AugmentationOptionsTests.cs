using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Training;

/// <summary>The augmentation settings: presets that cannot be changed by accident, and ranges checked by the
/// trainer.</summary>
public sealed class AugmentationOptionsTests
{
    [Fact]
    public void NoneAndDefault_AreFreshInstances_SoChangingOneLeavesThePresetAlone()
    {
        var options = AugmentationOptions.Default;
        options.RotationProbability = 1;
        Assert.Equal(0.5, AugmentationOptions.Default.RotationProbability);
        Assert.Equal(0, AugmentationOptions.None.RotationProbability);
        Assert.Equal(
            AugmentationOptions.Default.BlurProbability,
            new KeypointCnnTrainer.Options().Augmentation.BlurProbability
        );
    }

    [Fact]
    public void None_TurnsEveryTransformOff_AndDefault_TurnsEveryOneOn()
    {
        var none = AugmentationOptions.None;
        var all = AugmentationOptions.Default;
        Assert.False(none.IsEnabled);
        Assert.All(Probabilities(none), p => Assert.Equal(0, p));
        Assert.All(Probabilities(all), p => Assert.InRange(p, 0.1, 1));
    }

    [Theory]
    [InlineData(nameof(AugmentationOptions.RotationProbability), 1.5)]
    [InlineData(nameof(AugmentationOptions.BlurProbability), double.NaN)]
    [InlineData(nameof(AugmentationOptions.MaxRotationDegrees), 200)]
    [InlineData(nameof(AugmentationOptions.MinScale), 0)]
    [InlineData(nameof(AugmentationOptions.MaxScale), 0.8)]
    [InlineData(nameof(AugmentationOptions.MaxShift), 1)]
    [InlineData(nameof(AugmentationOptions.MaxBrightnessDelta), -0.1)]
    [InlineData(nameof(AugmentationOptions.MaxContrast), 0.5)]
    [InlineData(nameof(AugmentationOptions.MinBlurSigma), 0)]
    [InlineData(nameof(AugmentationOptions.MaxBlurSigma), double.PositiveInfinity)]
    public void Trainer_RejectsAnAugmentationSettingOutOfRange_NamingIt(string property, double value)
    {
        var augmentation = AugmentationOptions.Default;
        typeof(AugmentationOptions).GetProperty(property)!.SetValue(augmentation, value);
        var options = new KeypointCnnTrainer.Options { Augmentation = augmentation };
        var ml = new MLContext();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Keypoints.Trainers.Cnn(options).Fit(DrawnFaces.Training(ml, 8))
        );
        Assert.Equal(property, error.ParamName);
    }

    private static double[] Probabilities(AugmentationOptions o) =>
        [
            o.RotationProbability,
            o.ScaleProbability,
            o.ShiftProbability,
            o.BrightnessProbability,
            o.ContrastProbability,
            o.BlurProbability,
        ];
}
