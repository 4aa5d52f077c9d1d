using System.Diagnostics;

namespace Keypoints.Notebooks.Tests;

/// <summary>
/// The local folder feed the notebooks reference (<c>#i "nuget: folder"</c> before <c>#r "nuget: Keypoints.MLNet,
/// version"</c>), filled with a fresh pack of the library's build and of the models package (<c>#r "nuget:
/// Keypoints.MLNet.Models, version"</c>, the same version). The NuGet cache's copies of those package versions are
/// removed first, so the kernel restores these packs and not ones an earlier run left there. The folder and the cache
/// entry are the same for every clone on the machine, so the fixture holds a machine-wide lock (a file beside the
/// folder) from the pack to the end of the last notebook run.
/// </summary>
public sealed class LocalFeed : IDisposable
{
    private const string PackageId = "Keypoints.MLNet";

    // Packed beside the library, with its version: the pretrained models (src/Keypoints.MLNet.Models).
    private static readonly string[] PackageIds = [PackageId, "Keypoints.MLNet.Models"];
    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(60);
    private readonly FileStream machineLock;

    /// <summary>Reads the feed folder and the package version from the notebooks, takes the lock and packs.</summary>
    /// <exception cref="InvalidOperationException">The notebooks disagree on the folder or version, another run held
    /// the lock for too long, or the pack did not write the version the notebooks reference.</exception>
    public LocalFeed()
    {
        var notebooks = NotebookFile
            .Names.Select(n => NotebookFile.Load(Path.Combine(NotebookFile.Folder, n)))
            .ToArray();
        Folder = Single(notebooks.Select(n => n.LocalFeedFolder), "#i \"nuget: folder\"");
        Version = Single(notebooks.Select(n => n.PackageVersion), $"#r \"nuget: {PackageId}, version\"");
        machineLock = Lock(Folder.TrimEnd('/', '\\') + ".lock");
        try
        {
            foreach (string id in PackageIds)
            {
                Pack(id);
                string cached = NuGetCache.Package(id, Version);
                if (Directory.Exists(cached))
                    Directory.Delete(cached, recursive: true);
            }
        }
        catch
        {
            machineLock.Dispose();
            throw;
        }
    }

    /// <summary>The feed folder (absolute: the kernel takes no relative one).</summary>
    public string Folder { get; }

    /// <summary>The package version the notebooks reference and the pack wrote.</summary>
    public string Version { get; }

    /// <summary>Releases the lock; the feed stays, for a user who opens the notebooks next.</summary>
    public void Dispose() => machineLock.Dispose();

    private void Pack(string id)
    {
        using var temp = new TempFolder();
        string project = Path.Combine(SharedData.RepositoryRoot, "src", id, id + ".csproj");
        // No build: the test project's references built the projects already; the nuspec goes to a temp folder, not
        // obj/.
        var result = ProcessRunner.Run(
            "dotnet",
            [
                "pack",
                project,
                "-c",
                ProcessRunner.Configuration,
                "--no-build",
                "--disable-build-servers",
                "-o",
                Folder,
                $"-p:NuspecOutputPath={temp.Folder}{Path.DirectorySeparatorChar}",
            ],
            TimeSpan.FromMinutes(15),
            SharedData.RepositoryRoot
        );
        string package = Path.Combine(Folder, $"{id}.{Version}.nupkg");
        if (result.ExitCode != 0 || !File.Exists(package))
        {
            throw new InvalidOperationException(
                $"dotnet pack of {project} into {Folder} exited with {result.ExitCode} and wrote no {package} (the "
                    + $"version the notebooks reference):\n"
                    + result.StandardOutput
                    + result.StandardError
            );
        }
    }

    private static string Single(IEnumerable<string?> values, string what)
    {
        string?[] distinct = values.Distinct().ToArray();
        return distinct is [{ } value]
            ? value
            : throw new InvalidOperationException(
                $"Every notebook in {NotebookFile.Folder} must have the same {what} line; found: "
                    + $"{string.Join(", ", distinct.Select(v => v ?? "(none)"))}."
            );
    }

    private static FileStream Lock(string path)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < LockWait)
            {
                Thread.Sleep(TimeSpan.FromSeconds(5));
            }
        }
    }
}
