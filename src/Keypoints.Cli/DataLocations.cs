namespace Keypoints.Cli;

/// <summary>Where the commands look for Kaggle files when none are named.</summary>
internal static class DataLocations
{
    /// <summary>The first <c>shared/data/fkd</c> folder found beside the current folder or a parent, or null.</summary>
    public static string? FindSharedFkd()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "data", "fkd");
            if (File.Exists(Path.Combine(candidate, "training.csv")))
                return Path.GetFullPath(candidate);
        }
        return null;
    }

    public const string DownloadHint =
        "No data given and no ../shared/data/fkd found. Download training.csv, test.csv and IdLookupTable.csv from " +
        "https://www.kaggle.com/c/facial-keypoints-detection/data, put them in a folder such as data/fkd, " +
        "and run: train --data data/fkd/training.csv --out model.zip";
}
