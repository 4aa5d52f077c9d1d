namespace Keypoints.MLNet.Tests.Packaging;

/// <summary>A folder feed of freshly packed repository packages at a version no earlier run used (so the global NuGet
/// cache cannot serve a stale copy), and fresh apps outside the repository that restore from it.</summary>
internal sealed class LocalFeed : IDisposable
{
    // Generous: on a machine shared with higher-priority training, a few seconds of work can take minutes.
    private static readonly TimeSpan DotnetTimeout = TimeSpan.FromMinutes(15);

    private readonly TempFolder temp = new();
    private readonly List<string> packed = [];

    /// <summary>A feed whose packages get a version starting with <paramref name="versionPrefix"/>.</summary>
    public LocalFeed(string versionPrefix)
    {
        Version = versionPrefix + ".g" + Guid.NewGuid().ToString("N");
        Folder = Directory.CreateDirectory(this.temp.File("feed")).FullName;
    }

    /// <summary>The version every package of this feed has.</summary>
    public string Version { get; }

    /// <summary>The feed's folder.</summary>
    public string Folder { get; }

    /// <summary>Packs what the test run already built of <c>src/<paramref name="project"/></c> (no build: the
    /// repository's output is only read; the intermediate nuspec goes to the temp folder rather than into obj/) and
    /// returns the package's path.</summary>
    public string Pack(string project)
    {
        Dotnet(
            SharedData.RepositoryRoot,
            "pack",
            Path.Combine(SharedData.RepositoryRoot, "src", project, project + ".csproj"),
            "-c",
            ProcessRunner.Configuration,
            "--no-build",
            "--disable-build-servers",
            "-o",
            Folder,
            $"-p:PackageVersion={Version}",
            $"-p:NuspecOutputPath={this.temp.File("nuspec-" + project)}{Path.DirectorySeparatorChar}"
        );
        string package = Path.Combine(Folder, $"{project}.{Version}.nupkg");
        Assert.True(File.Exists(package), $"dotnet pack wrote no {package}");
        this.packed.Add(project);
        return package;
    }

    /// <summary>A console app as <c>dotnet new console</c> makes it, in a new folder of the temp folder, with
    /// <paramref name="packages"/> (id and version) as its references, this feed and nuget.org as its sources, and
    /// <paramref name="program"/> as its Program.cs. Returns the app's folder.</summary>
    public string WriteApp(string name, IEnumerable<(string Id, string Version)> packages, string program)
    {
        string app = Directory.CreateDirectory(this.temp.File(name)).FullName;
        for (var dir = new DirectoryInfo(app); dir is not null; dir = dir.Parent)
        {
            foreach (
                string? file in new[]
                {
                    "Directory.Build.props",
                    "Directory.Build.targets",
                    "Directory.Packages.props",
                    "global.json",
                }
            )
            {
                Assert.False(
                    File.Exists(Path.Combine(dir.FullName, file)),
                    $"{Path.Combine(dir.FullName, file)} would apply to the fresh app"
                );
            }
        }
        string references = string.Join(
            "\n    ",
            packages.Select(p => $"<PackageReference Include=\"{p.Id}\" Version=\"{p.Version}\" />")
        );
        File.WriteAllText(
            Path.Combine(app, name + ".csproj"),
            $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                {references}
              </ItemGroup>
            </Project>
            """
        );
        File.WriteAllText(
            Path.Combine(app, "nuget.config"),
            $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="keypoints-feed" value="{Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """
        );
        File.WriteAllText(Path.Combine(app, "Program.cs"), program);
        return app;
    }

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>, failing
    /// the test with its output if it exits non-zero.</summary>
    public static ProcessRunner.Result Dotnet(string workingDirectory, params string[] arguments)
    {
        var result = ProcessRunner.Run("dotnet", arguments, DotnetTimeout, workingDirectory);
        Assert.True(
            result.ExitCode == 0,
            $"dotnet {string.Join(' ', arguments)} failed:\n{result.StandardOutput}{result.StandardError}"
        );
        return result;
    }

    /// <summary>A path in the feed's temp folder.</summary>
    public string TempPath(string relativePath) => this.temp.File(relativePath);

    /// <summary>Removes the temp folder and the packed versions from the global NuGet cache.</summary>
    public void Dispose()
    {
        foreach (string project in this.packed)
        {
            string cached = NuGetCache.Package(project, Version);
            if (Directory.Exists(cached))
                Directory.Delete(cached, recursive: true);
        }
        this.temp.Dispose();
    }
}
