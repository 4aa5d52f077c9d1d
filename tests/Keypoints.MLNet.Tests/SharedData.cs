namespace Keypoints.MLNet.Tests;

/// <summary>Locates the face data in <c>../shared/data</c> beside the repository (or <c>KEYPOINTS_DATA</c>).</summary>
internal static class SharedData
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The data folder; throws with a clear message when it is absent.</summary>
    public static string Folder => Root.Value;

    /// <summary>Path of a file below the data folder, for example <c>Path("fkd", "training.csv")</c>.</summary>
    public static string Path(params string[] parts)
    {
        string path = System.IO.Path.Combine([Folder, .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"Test data '{path}' is missing; see ../shared/data/README.md.", path);
        return path;
    }

    /// <summary>The repository root (the folder holding Keypoints.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Where the data folder is looked for: <c>KEYPOINTS_DATA</c>, else <c>../shared/data</c> beside the
    /// repository.</summary>
    public static string ExpectedFolder =>
        Environment.GetEnvironmentVariable("KEYPOINTS_DATA")
        ?? System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared", "data"));

    private static string Find()
    {
        string folder = ExpectedFolder;
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException(
                $"The face data folder '{folder}' does not exist. Tests read the shared data set from ../shared/data "
                    + $"beside the repository, "
                    + "or from the folder named by the KEYPOINTS_DATA environment variable."
            );
        }

        return folder;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Keypoints.sln")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No Keypoints.sln above '{AppContext.BaseDirectory}'.");
    }
}
