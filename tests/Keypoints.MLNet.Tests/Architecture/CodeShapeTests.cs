using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Keypoints.MLNet.Tests.Architecture;

/// <summary>
/// The shape rules of the house (CONTRIBUTING.md, "Code"): no line of C# over 120 characters, and in <c>src/</c> no
/// method, constructor or accessor over 60 lines and none with more than 6 parameters (a positional record's
/// members are not parameters of a call, so records are not counted). Read from the syntax trees of
/// the files themselves, so a rule cannot drift from the code.
/// </summary>
public sealed class CodeShapeTests
{
    private const int MaxLineLength = 120;
    private const int MaxMethodLines = 60;
    private const int MaxParameters = 6;

    [Fact]
    public void NoLineOfCSharp_IsOver120Characters()
    {
        var overLimit = CSharpFiles("src", "tests", "benchmarks")
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(l => l.line.Length > MaxLineLength)
            .Select(l => $"{Relative(l.file)}:{l.number}: {l.line.Length} characters")
            .ToList();
        Assert.True(
            overLimit.Count == 0,
            $"Lines over {MaxLineLength} characters (dotnet csharpier format .):\n" + string.Join("\n", overLimit)
        );
    }

    [Fact]
    public void NoMethodInSrc_IsOver60Lines_OrTakesOver6Parameters()
    {
        var violations = new List<string>();
        foreach (string file in CSharpFiles("src"))
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file).GetRoot();
            foreach (var member in root.DescendantNodes().OfType<BaseMethodDeclarationSyntax>())
                Check(member, member.ParameterList.Parameters.Count, violations);
            // A class's primary constructor counts; a positional record's is its list of named members, not a call.
            foreach (var type in root.DescendantNodes().OfType<ClassDeclarationSyntax>())
            {
                if (type.ParameterList is { } primary && primary.Parameters.Count > MaxParameters)
                    violations.Add($"{Where(type)}: {type.Identifier} takes {primary.Parameters.Count} parameters");
            }
            foreach (var accessor in root.DescendantNodes().OfType<AccessorDeclarationSyntax>())
                Check(accessor, 0, violations);
        }
        Assert.True(
            violations.Count == 0,
            "Methods to split or to give a parameter type:\n" + string.Join("\n", violations)
        );
    }

    private static void Check(SyntaxNode member, int parameters, List<string> violations)
    {
        var span = member.GetLocation().GetLineSpan();
        int lines = span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
        string name = member switch
        {
            MethodDeclarationSyntax m => m.Identifier.Text,
            ConstructorDeclarationSyntax c => c.Identifier.Text + " (constructor)",
            _ => member.Kind().ToString(),
        };
        if (lines > MaxMethodLines)
            violations.Add($"{Where(member)}: {name} has {lines} lines");
        if (parameters > MaxParameters)
            violations.Add($"{Where(member)}: {name} takes {parameters} parameters");
    }

    private static string Where(SyntaxNode node)
    {
        var span = node.GetLocation().GetLineSpan();
        return $"{Relative(span.Path)}:{span.StartLinePosition.Line + 1}";
    }

    private static IEnumerable<string> CSharpFiles(params string[] folders) =>
        folders
            .Select(f => Path.Combine(SharedData.RepositoryRoot, f))
            .Where(Directory.Exists)
            .SelectMany(f => Directory.EnumerateFiles(f, "*.cs", SearchOption.AllDirectories))
            .Where(f =>
                !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains(
                    $"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}",
                    StringComparison.Ordinal
                )
            );

    private static string Relative(string path) => Path.GetRelativePath(SharedData.RepositoryRoot, path);
}
