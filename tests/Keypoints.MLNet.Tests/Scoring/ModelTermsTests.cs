using Keypoints.MLNet.Data;
using Keypoints.MLNet.Estimators;
using Keypoints.MLNet.Networks;
using Keypoints.MLNet.Scoring;
using Keypoints.MLNet.Tests.Training;
using Keypoints.MLNet.Training;
using Microsoft.ML;

namespace Keypoints.MLNet.Tests.Scoring;

/// <summary>The terms of use a model records (<c>KeypointModelMetadata.Terms</c>): set by the trainer's options, kept
/// by export and load and by fine-tuning, and replaced by <c>WithTerms</c> without touching the network.</summary>
[Collection(GlobalRandomGenerator.Name)]
public sealed class ModelTermsTests
{
    private const int Side = 32;
    private const string Research = "Research use only: the test's data.";

    [Fact]
    public void Terms_AreRecorded_KeptByExportAndLoad_AndInheritedByFineTuning()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var data = Faces(folder);
        using var trained = Train(ml, data, Options(Research));
        string file = folder.File("model.onnx");
        trained.ExportOnnx(file);
        using var loaded = ml.Keypoints.LoadModel(file);
        var tuning = Options(terms: null);
        tuning.StartFrom = loaded;
        using var tuned = Train(ml, data, tuning);
        var renaming = Options("Other terms.");
        renaming.StartFrom = loaded;
        using var renamed = Train(ml, data, renaming);

        Assert.Equal(
            [Research, Research, Research, "Other terms."],
            new[] { trained, loaded, tuned, renamed }.Select(m => m.Metadata.Terms)
        );
    }

    [Fact]
    public void WithTerms_ReplacesTheRecordsTerms_AndPredictsAsBefore()
    {
        using var folder = new TempFolder();
        var ml = new MLContext(1);
        var data = Faces(folder);
        using var model = Train(ml, data, Options(terms: null));

        using var stamped = model.WithTerms(Research);
        string file = folder.File("stamped.onnx");
        stamped.ExportOnnx(file);
        using var loaded = ml.Keypoints.LoadModel(file);
        using var cleared = stamped.WithTerms(null);

        Assert.Null(model.Metadata.Terms);
        Assert.Equal(
            (Research, Research, null),
            (stamped.Metadata.Terms, loaded.Metadata.Terms, cleared.Metadata.Terms)
        );
        Assert.Equal(model.Metadata.Layout.KeypointNames, loaded.Metadata.Layout.KeypointNames);
        Assert.Equal(Predictions(model, data), Predictions(loaded, data));
    }

    private static IDataView Faces(TempFolder folder) =>
        FkdCsv.LoadTraining(SyntheticFaces.WriteKaggleCsv(folder, "faces.csv", Side, rows: 24), Side, Side);

    private static KeypointCnnTrainer.Options Options(string? terms) =>
        new()
        {
            Architecture = KeypointArchitecture.Mlp,
            Seed = 2,
            Terms = terms,
            Augmentation = AugmentationOptions.None,
            ValidationFraction = 0,
            Schedule = { MaxEpochs = 1, BatchSize = 12 },
            TimeBudget = { MaxTrainingTime = null },
        };

    private static KeypointCnnModel Train(MLContext ml, IDataView data, KeypointCnnTrainer.Options options) =>
        ml.Keypoints.Trainers.Cnn(options).Fit(data);

    private static float[][] Predictions(IKeypointModel model, IDataView data) =>
        Columns.Vectors(model.Transform(data), model.PredictedColumnName);
}
