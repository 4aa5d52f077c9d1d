using System.Reflection;
using System.Xml.Linq;

namespace Keypoints.Notebooks.Tests;

/// <summary>
/// Maps a notebook's <c>#r "nuget: Id, Version"</c> to the local build: the assemblies this test project loads, that is
/// the library project and the packages the repository pins. Like a NuGet reference in the real kernel, an id brings its
/// dependencies too (the assemblies its assemblies reference that are deployed here). Only the ids below are known; the
/// version must be the one the repository builds: the version pinned in <c>Directory.Packages.props</c>, or for
/// <c>Keypoints.MLNet</c> the library assembly's own version.
/// </summary>
internal sealed class NotebookPackages
{
    public const string LibraryId = "Keypoints.MLNet";

    private static readonly Dictionary<string, string[]> RootAssemblies = new(StringComparer.OrdinalIgnoreCase)
    {
        [LibraryId] = ["Keypoints.MLNet"],
        ["TorchSharp-cpu"] = ["TorchSharp"],
        ["TorchSharp"] = ["TorchSharp"],
        ["Microsoft.ML"] = ["Microsoft.ML.Core", "Microsoft.ML.Data", "Microsoft.ML.DataView", "Microsoft.ML.Transforms",
            "Microsoft.ML.StandardTrainers", "Microsoft.ML.KMeansClustering", "Microsoft.ML.PCA"],
        ["Microsoft.ML.ImageAnalytics"] = ["Microsoft.ML.ImageAnalytics"],
        ["Microsoft.ML.OnnxTransformer"] = ["Microsoft.ML.OnnxTransformer"],
        ["Microsoft.ML.OnnxRuntime"] = ["Microsoft.ML.OnnxRuntime"],
    };

    private readonly IReadOnlyDictionary<string, string> versions;

    /// <summary>Reads the pinned versions from <c>Directory.Packages.props</c> in <paramref name="repositoryRoot"/>.</summary>
    public NotebookPackages(string repositoryRoot)
    {
        var props = Path.Combine(repositoryRoot, "Directory.Packages.props");
        var pinned = XDocument.Load(props).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
        pinned[LibraryId] = LibraryVersion;
        versions = pinned;
    }

    /// <summary>The version of the library as built here (its informational version without build metadata).</summary>
    public static string LibraryVersion { get; } = ReadLibraryVersion();

    /// <summary>The package ids a notebook may reference.</summary>
    public static IReadOnlyCollection<string> KnownIds => RootAssemblies.Keys;

    /// <summary>The assemblies to reference for package <paramref name="id"/> at <paramref name="version"/>.</summary>
    /// <exception cref="NotSupportedException">The id is unknown, the version is missing, or it differs from the one
    /// the repository builds; the message says which ids and version would be accepted.</exception>
    public IReadOnlyList<Assembly> Resolve(string id, string? version)
    {
        if (!RootAssemblies.TryGetValue(id, out var roots))
            throw new NotSupportedException($"Package '{id}' is not one the harness maps to the local build; known: {string.Join(", ", KnownIds)}.");
        var expected = versions.TryGetValue(id, out var v) ? v
            : throw new NotSupportedException($"Package '{id}' has no version in Directory.Packages.props.");
        if (string.IsNullOrWhiteSpace(version))
            throw new NotSupportedException($"Package '{id}' has no version; pin the one the repository builds: #r \"nuget: {id}, {expected}\".");
        if (!string.Equals(version.Trim(), expected, StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException($"Package '{id}' is referenced at version {version.Trim()}, but the repository builds {expected}.");
        return Closure(roots);
    }

    // The root assemblies and, transitively, the assemblies they reference that are deployed beside this test assembly
    // (the framework's own assemblies are referenced for every cell anyway).
    private static List<Assembly> Closure(IEnumerable<string> roots)
    {
        var found = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<AssemblyName>(roots.Select(r => new AssemblyName(r)));
        while (pending.TryDequeue(out var name))
        {
            if (name.Name is null || found.ContainsKey(name.Name) || !File.Exists(Path.Combine(AppContext.BaseDirectory, name.Name + ".dll")))
                continue;
            var assembly = Assembly.Load(name);
            found[name.Name] = assembly;
            foreach (var reference in assembly.GetReferencedAssemblies())
                pending.Enqueue(reference);
        }
        return [.. found.Values];
    }

    private static string ReadLibraryVersion()
    {
        var assembly = Assembly.Load(new AssemblyName("Keypoints.MLNet"));
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3)
            ?? throw new InvalidOperationException("Keypoints.MLNet has no version.");
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
