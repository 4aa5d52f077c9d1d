using System.CommandLine;
using Keypoints.MLNet;
using Keypoints.MLNet.Data;
using Keypoints.MLNet.Layouts;
using Keypoints.MLNet.Scoring;
using Microsoft.ML;

namespace Keypoints.Cli.Commands;

/// <summary><c>submit</c>: predicts test.csv with a saved model and writes a Kaggle submission from
/// IdLookupTable.csv.</summary>
internal sealed class SubmitCommand : Command
{
    private readonly Option<string> model = ModelArgument.Create(
        "A model trained on a Kaggle CSV",
        defaultName: PretrainedModelsCatalog.Kaggle15Name
    );
    private readonly Option<string> test = new("--test")
    {
        Description = "Kaggle's test.csv (ImageId, Image)",
        HelpName = "test.csv",
        Required = true,
    };
    private readonly Option<string> lookup = new("--lookup")
    {
        Description = "Kaggle's IdLookupTable.csv",
        HelpName = "IdLookupTable.csv",
        Required = true,
    };
    private readonly Option<string> output = new("--out")
    {
        Description = "The submission CSV to write (RowId,Location)",
        HelpName = "submission.csv",
        Required = true,
    };

    public SubmitCommand()
        : base(
            "submit",
            CommandHelp.With(
                "Predict Kaggle's test.csv with a saved model and write a submission from IdLookupTable.csv",
                "keypoints submit --test test.csv --lookup IdLookupTable.csv --out submission.csv"
            )
        )
    {
        Options.Add(model);
        Options.Add(test);
        Options.Add(lookup);
        Options.Add(output);
        SetAction(result =>
            Run(
                ModelArgument.Resolve(result.GetRequiredValue(model)),
                result.GetRequiredValue(test),
                result.GetRequiredValue(lookup),
                result.GetRequiredValue(output)
            )
        );
    }

    private static int Run(string modelPath, string testPath, string lookupPath, string output)
    {
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);

        var ml = new MLContext();
        var lookup = IdLookupTable.Load(lookupPath);
        var test = ml.Data.Keypoints.LoadFkdTestCsv(testPath);
        using var model = ml.Keypoints.LoadModel<KeypointCnnModel>(modelPath);
        int images = FkdSubmission.Write(output, lookup, model.Transform(test), KeypointLayout.Kaggle15);
        Console.WriteLine($"wrote {output}: {lookup.Entries.Count} locations for {images} images");
        return 0;
    }
}
