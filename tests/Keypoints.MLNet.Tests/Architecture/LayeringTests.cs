using System.Text.RegularExpressions;

namespace Keypoints.MLNet.Tests.Architecture;

/// <summary>
/// The library's folders are layers (docs/architecture.md): a folder uses only the folders its row of the table allows.
/// The table is read from the document itself, so the rule and its description cannot drift apart.
/// </summary>
public sealed partial class LayeringTests
{
    private const string RootFolder = "(root)";

    private static readonly string SourceRoot = Path.Combine(SharedData.RepositoryRoot, "src", "Keypoints.MLNet");

    [Fact]
    public void EveryFolderUses_OnlyTheFoldersItsRowAllows()
    {
        var rules = LayerRules.Read(Path.Combine(SharedData.RepositoryRoot, "docs", "architecture.md"));
        var rootTypes = RootNamespaceTypes();
        var violations = new List<string>();
        foreach (string file in SourceFiles())
        {
            string folder = FolderOf(file);
            if (!rules.Allowed.TryGetValue(folder, out var allowed))
            {
                violations.Add($"{Relative(file)}: folder '{folder}' has no row in docs/architecture.md");
                continue;
            }
            foreach (string used in UsedFolders(File.ReadAllText(file), rules.Allowed.Keys, rootTypes))
            {
                if (used != folder && !allowed.Contains(used))
                    violations.Add($"{Relative(file)}: {folder} uses {used}");
            }
        }
        Assert.True(
            violations.Count == 0,
            "Layering violations (see docs/architecture.md):\n" + string.Join("\n", violations)
        );
    }

    [Fact]
    public void TheTable_AllowsOnlyLowerRows_AndOnnxAndRuntimeUseNothing()
    {
        var rules = LayerRules.Read(Path.Combine(SharedData.RepositoryRoot, "docs", "architecture.md"));

        Assert.Empty(rules.Allowed["Onnx"]);
        Assert.Empty(rules.Allowed["Runtime"]);
        foreach (var (folder, allowed) in rules.Allowed)
        {
            foreach (string used in allowed)
            {
                Assert.True(
                    rules.Row[used] <= rules.Row[folder],
                    $"{folder} (row {rules.Row[folder]}) may use {used} (row {rules.Row[used]})"
                );
            }
        }
        Assert.DoesNotContain("Scoring", rules.Allowed["Training"]);
        Assert.DoesNotContain("Export", rules.Allowed["Training"]);
    }

    [Fact]
    public void UsedFolders_FindsUsingLines_QualifiedNames_RelativeNames_AndRootTypes()
    {
        string[] folders = ["Onnx", "Training", "Scoring", "Export", "Data", RootFolder];
        const string code = """
            using Keypoints.MLNet.Training;
            namespace Keypoints.MLNet.Onnx;
            /// <see cref="Scoring.KeypointCnnModel"/>
            internal static class X
            {
                private static readonly string Name = "Data.Keypoints is a string, not a reference";
                public static object Y() => Keypoints.MLNet.Export.KeypointGraphExporter.Export(null!, null!);
                public static object Z() => new KeypointsCatalogExtensions();
            }
            """;

        var used = UsedFolders(
            code,
            folders,
            new HashSet<string>(StringComparer.Ordinal) { "KeypointsCatalogExtensions" }
        );

        Assert.Equal(new[] { RootFolder, "Export", "Scoring", "Training" }, used.Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory
            .EnumerateFiles(SourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(SourceRoot, f)));

    private static bool IsBuildOutput(string relative)
    {
        string first = relative.Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }

    private static string FolderOf(string file)
    {
        string[] parts = Path.GetRelativePath(SourceRoot, file).Split(Path.DirectorySeparatorChar);
        return parts.Length == 1 ? RootFolder : parts[0];
    }

    private static string Relative(string file) => Path.GetRelativePath(SharedData.RepositoryRoot, file);

    /// <summary>The types declared in the root namespace: code in any folder sees them without a using line.</summary>
    private static HashSet<string> RootNamespaceTypes() =>
        SourceFiles()
            .Where(f => FolderOf(f) == RootFolder)
            .SelectMany(f => TypeDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The project folders that <paramref name="code"/> refers to.</summary>
    private static HashSet<string> UsedFolders(string code, IEnumerable<string> folders, IReadOnlySet<string> rootTypes)
    {
        var known = folders.Where(f => f != RootFolder).ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        // Strings are text, not references; XML doc comments are references (a cref needs the namespace in scope).
        string withoutStrings = string.Join(
            '\n',
            code.Split('\n')
                .Select(line =>
                    line.TrimStart().StartsWith("//", StringComparison.Ordinal)
                        ? line
                        : StringLiteral().Replace(line, "\"\"")
                )
        );
        foreach (Match m in QualifiedReference().Matches(withoutStrings))
        {
            if (known.Contains(m.Groups["folder"].Value) && !IsNamespaceDeclaration(withoutStrings, m.Index))
                used.Add(m.Groups["folder"].Value);
        }
        foreach (Match m in RelativeReference().Matches(withoutStrings))
        {
            if (known.Contains(m.Groups["folder"].Value))
                used.Add(m.Groups["folder"].Value);
        }
        var identifiers = Identifier().Matches(withoutStrings).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        if (
            rootTypes.Any(identifiers.Contains)
            && !NamespaceDeclaration()
                .Match(withoutStrings)
                .Groups["ns"]
                .Value.Equals("Keypoints.MLNet", StringComparison.Ordinal)
        )
        {
            used.Add(RootFolder);
        }

        return used;
    }

    private static bool IsNamespaceDeclaration(string code, int index)
    {
        int lineStart = code.LastIndexOf('\n', Math.Max(0, index - 1)) + 1;
        return code.AsSpan(lineStart, index - lineStart).Trim().SequenceEqual("namespace");
    }

    [GeneratedRegex(@"Keypoints\.MLNet\.(?<folder>[A-Z]\w*)")]
    private static partial Regex QualifiedReference();

    // A namespace-relative reference such as Scoring.KeypointCnnModel: code in Keypoints.MLNet.X sees the sibling
    // namespaces of Keypoints.MLNet by their last name. Not after a dot (mlContext.Data.Keypoints is a member access).
    [GeneratedRegex(@"(?<![\w.])(?<folder>[A-Z]\w*)\.[A-Z]\w*")]
    private static partial Regex RelativeReference();

    [GeneratedRegex(@"@""(?:[^""]|"""")*""|""(?:[^""\\\n]|\\.)*""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\b[A-Z]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^namespace\s+(?<ns>[\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    /// <summary>The table between the <c>layers</c> markers of docs/architecture.md: row, folder, and what it may use
    /// (<c>nothing</c>, or <c>rows below</c> optionally followed by same-row folders).</summary>
    private sealed record LayerRules(
        IReadOnlyDictionary<string, int> Row,
        IReadOnlyDictionary<string, IReadOnlySet<string>> Allowed
    )
    {
        public static LayerRules Read(string path)
        {
            Assert.True(File.Exists(path), $"'{path}' does not exist; it holds the layer table.");
            string[] lines = File.ReadAllLines(path);
            int begin = Array.FindIndex(lines, l => l.Contains("<!-- layers: begin -->", StringComparison.Ordinal));
            int end = Array.FindIndex(lines, l => l.Contains("<!-- layers: end -->", StringComparison.Ordinal));
            Assert.True(
                begin >= 0 && end > begin,
                $"'{path}' has no '<!-- layers: begin -->' ... '<!-- layers: end -->' table."
            );
            var rows = new Dictionary<string, int>(StringComparer.Ordinal);
            var uses = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string line in lines[(begin + 1)..end])
            {
                string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
                if (cells.Length < 4 || !int.TryParse(cells[1], out int row))
                    continue;
                rows.Add(cells[2], row);
                uses.Add(cells[2], cells[3]);
            }
            Assert.True(rows.Count > 0, $"'{path}': the layer table has no rows.");
            var allowed = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
            foreach (var (folder, text) in uses)
            {
                var set = new HashSet<string>(StringComparer.Ordinal);
                if (text != "nothing")
                {
                    string[] parts = text.Split(
                        ',',
                        StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries
                    );
                    Assert.True(
                        parts[0] == "rows below",
                        $"'{path}': {folder} may use '{text}'; expected 'nothing' or 'rows below[, Sibling...]'."
                    );
                    set.UnionWith(rows.Where(r => r.Value < rows[folder]).Select(r => r.Key));
                    foreach (string sibling in parts[1..])
                    {
                        Assert.True(
                            rows.ContainsKey(sibling),
                            $"'{path}': {folder} may use '{sibling}', which has no row."
                        );
                        set.Add(sibling);
                    }
                }
                allowed.Add(folder, set);
            }
            return new LayerRules(rows, allowed);
        }
    }
}
