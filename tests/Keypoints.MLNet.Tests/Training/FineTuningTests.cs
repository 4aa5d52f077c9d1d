using Keypoints.MLNet.Data;
using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Export;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Runtime;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Tests.Networks;
using Keypoints.MLNet.Tests.Scoring;
using Keypoints.MLNet.Tests.Tiers;
using Keypoints.MLNet.Training;
using Microsoft.ML;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Keypoints.MLNet.Tests.Training;

/// <summary><see cref="KeypointCnnTrainer.Options.StartFrom"/>: the weights come out of a trained model's graph as they
/// went in, training starts where the model stopped, and data or options that do not fit the model fail before
/// training.</summary>
[Collection(GlobalRandomGenerator.Name)]
public sealed class FineTuningTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(KeypointArchitecture.ConvNet3)]
    [InlineData(KeypointArchitecture.ResNet18)]
    [InlineData(KeypointArchitecture.ResNet18Integral)]
    public void WeightsReadFromAModelWithTestTimeFlip_PredictWhatItsGraphPredicts(KeypointArchitecture architecture)
    {
        using var folder = new TempFolder();
        const int side = 40;
        var data = FkdCsv.LoadTraining(SyntheticFaces.WriteKaggleCsv(folder, "faces.csv", side, rows: 48), side, side);
        var ml = new MLContext(1);
        using var model = ml
            .Keypoints.Trainers.Cnn(
                new KeypointCnnTrainer.Options
                {
                    Architecture = architecture,
                    Seed = 4,
                    TestTimeFlip = true,
                    Augmentation = AugmentationOptions.None,
                    Schedule = { MaxEpochs = 1, BatchSize = 16 },
                    TimeBudget = { MaxTrainingTime = null },
                }
            )
            .Fit(data);

        var weights = new NetworkWeights(model.OnnxGraph.ToArray(), TestTimeFlipGraph.Scope + "/", "the fitted model");
        var input = new NetworkInput(1, side, side);
        Assert.Equal(
            architecture,
            weights.FindArchitecture(input, model.Layout.CoordinateCount, KeypointArchitecture.Mlp)
        );
        manual_seed(5);
        using var network = NetworkFactory.Create(architecture, input, model.Layout.CoordinateCount);
        weights.CopyTo(network);
        network.eval();

        using var withoutFlip = model.WithTestTimeFlip(false);
        float[][] expected = Columns.Vectors(withoutFlip.Transform(data), "PredictedKeypoints");
        float[][] images = Columns.Vectors(data, "Image");
        var scaling = new CoordinateScaling(model.Layout);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pixels = tensor(images.SelectMany(i => i).ToArray(), new long[] { images.Length, 1, side, side }) / 255f;
        float[] predicted = (network.forward(pixels) * tensor(scaling.HalfSize) + tensor(scaling.Center))
            .data<float>()
            .ToArray();
        float difference = expected.SelectMany(e => e).Zip(predicted, (e, p) => Math.Abs(e - p)).Max();
        Assert.True(difference < 1e-3, $"{architecture}: max |graph - loaded network| = {difference} px");
    }

    // Trains ConvNet3 for 10 epochs on 400 to 800 faces: about two minutes on two busy cores.
    [TierFact(Needs.FaceData)]
    [Trait("Category", "Integration")]
    public void OneEpochFromAModel_StartsNearItsValidationError_FarBelowOneEpochFromScratch()
    {
        var ml = new MLContext(1);
        var validation = SmallFaces.Validation(ml, 200);
        var first = ml.Data.TakeRows(FkdCsv.LoadTraining(SmallFaces.TrainingCsv), 400);
        var second = ml.Data.TakeRows(ml.Data.SkipRows(FkdCsv.LoadTraining(SmallFaces.TrainingCsv), 400), 400);
        KeypointCnnTrainer.Options Options(int epochs, IKeypointModel? startFrom) =>
            new()
            {
                Architecture = KeypointArchitecture.ConvNet3,
                Seed = 6,
                ValidationData = validation,
                StartFrom = startFrom,
                Augmentation = AugmentationOptions.None,
                TestTimeFlip = false,
                Schedule = { MaxEpochs = epochs, BatchSize = 32 },
                TimeBudget = { MaxTrainingTime = null },
            };
        using var model = ml.Keypoints.Trainers.Cnn(Options(8, null)).Fit(first);
        using var tuned = ml.Keypoints.Trainers.Cnn(Options(1, model)).Fit(second);
        using var scratch = ml.Keypoints.Trainers.Cnn(Options(1, null)).Fit(second);

        double modelRmse = model.History.Min(h => h.ValidationRmse);
        double tunedRmse = tuned.History[0].ValidationRmse;
        double scratchRmse = scratch.History[0].ValidationRmse;
        output.WriteLine(
            $"model after 8 epochs: {modelRmse:F3} px; first epoch from the model: {tunedRmse:F3} px; from scratch: "
                + $"{scratchRmse:F3} px"
        );
        Assert.True(
            tunedRmse < 1.2 * modelRmse,
            $"fine-tuning's first epoch {tunedRmse:F3} px, the model's {modelRmse:F3} px"
        );
        Assert.True(
            tunedRmse < 0.85 * scratchRmse,
            $"fine-tuning's first epoch {tunedRmse:F3} px, from scratch {scratchRmse:F3} px"
        );
        Assert.Equal(1e-4, tuned.History[0].LearningRate, 12);
    }

    [TierFact(Needs.FaceData)]
    public void Fit_RefusesDataOfAnotherLayout_NamingTheFirstDifferentKeypoint()
    {
        var ml = new MLContext(1);
        using var model = UntrainedModel(ml, KeypointLayout.Ibug68.WithImageSize(96, 96));
        var trainer = ml.Keypoints.Trainers.Cnn(OneEpochFrom(model));

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(SmallFaces.Training(ml, 16)));

        Assert.Contains("Fine-tuning needs data of the model's layout", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            $"keypoint 0 is '{KeypointLayout.Kaggle15.KeypointNames[0]}' in the data and "
                + $"'{KeypointLayout.Ibug68.KeypointNames[0]}' in the model",
            error.Message,
            StringComparison.Ordinal
        );
    }

    [TierFact(Needs.FaceData)]
    public void Fit_RefusesPretraining_WhichWouldOverwriteTheModelsWeights()
    {
        var ml = new MLContext(1);
        using var model = UntrainedModel(ml, KeypointLayout.Kaggle15);
        var options = OneEpochFrom(model);
        options.Pretraining.Epochs = 1;
        var trainer = ml.Keypoints.Trainers.Cnn(options);

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(SmallFaces.Training(ml, 16)));

        Assert.Equal(nameof(KeypointTrainingOptions.Pretraining), error.ParamName);
    }

    [TierFact(Needs.FaceData)]
    public void Fit_StartsFromTheBaseNetwork_OfAModelWithSpecialists()
    {
        var ml = new MLContext(1);
        using var model = UntrainedModel(ml, KeypointLayout.Kaggle15, "base", "specialist_eyes");
        var options = new KeypointCnnTrainer.Options
        {
            Architecture = KeypointArchitecture.ConvNet3,
            Seed = 1,
            StartFrom = model,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = 1, BatchSize = 16 },
            TimeBudget = { MaxTrainingTime = null },
        };

        using var tuned = ml.Keypoints.Trainers.Cnn(options).Fit(SmallFaces.Training(ml, 32));

        Assert.Equal(new[] { "base" }, tuned.Metadata.Networks);
    }

    [TierFact(Needs.FaceData)]
    public void Fit_RefusesAModelWhoseSpecialistsLeaveNoBaseNetwork()
    {
        var ml = new MLContext(1);
        using var model = UntrainedModel(ml, KeypointLayout.Kaggle15, "specialist_eyes", "specialist_mouth");
        var trainer = ml.Keypoints.Trainers.Cnn(OneEpochFrom(model));

        var error = Assert.Throws<ArgumentException>(() => trainer.Fit(SmallFaces.Training(ml, 16)));

        Assert.Contains("keeps no base network to fine-tune", error.Message, StringComparison.Ordinal);
    }

    /// <summary>One epoch of the small network without augmentation, test-time flip or time budget, from
    /// <paramref name="model"/>.</summary>
    private static KeypointCnnTrainer.Options OneEpochFrom(KeypointCnnModel model) =>
        new()
        {
            Architecture = KeypointArchitecture.ConvNet3,
            StartFrom = model,
            Augmentation = AugmentationOptions.None,
            TestTimeFlip = false,
            Schedule = { MaxEpochs = 1 },
            TimeBudget = { MaxTrainingTime = null },
        };

    /// <summary>A model of ConvNet3 networks named <paramref name="members"/> (member m predicting every coordinate c
    /// with c mod count = m), as exported straight from random weights.</summary>
    private static KeypointCnnModel UntrainedModel(MLContext ml, KeypointLayout layout, params string[] members)
    {
        TorchRuntime.EnsureInitialized();
        members = members.Length == 0 ? ["base"] : members;
        var input = new NetworkInput(1, layout.ImageHeight, layout.ImageWidth);
        using var ensemble =
            members.Length == 1
                ? KeypointEnsemble.Single(
                    NetworkFactory.Create(KeypointArchitecture.ConvNet3, input, layout.CoordinateCount)
                )
                : new KeypointEnsemble(
                    members
                        .Select(
                            (name, m) =>
                            {
                                int[] coordinates = Enumerable
                                    .Range(0, layout.CoordinateCount)
                                    .Where(c => c % members.Length == m)
                                    .ToArray();
                                return new EnsembleMember(
                                    name,
                                    NetworkFactory.Create(KeypointArchitecture.ConvNet3, input, layout.CoordinateCount),
                                    coordinates,
                                    coordinates
                                );
                            }
                        )
                        .ToArray(),
                    layout.CoordinateCount
                );
        ensemble.Eval();
        var metadata = GreyModelMetadata.For(layout, networks: members);
        return new KeypointCnnModel(ml, KeypointGraphExporter.Export(ensemble, metadata), metadata);
    }
}
