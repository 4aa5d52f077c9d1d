using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive.Formatting;

namespace Keypoints.Notebooks.Tests;

/// <summary>
/// Runs a notebook's code cells in order the way the .NET Interactive C# kernel does: on Roslyn C# scripting, each cell
/// one submission that continues the state of the ones before (variables, usings, local functions and types carry over),
/// with the kernel's default usings, <c>using static</c> of its helpers (<see cref="NotebookKernel"/>), the notebook's
/// folder as the current directory, console output and <c>display(...)</c> recorded as the cell's outputs, and a trailing
/// expression's value as its result.
/// </summary>
/// <remarks>
/// Kernel directives are handled before a cell is compiled, each replaced by an empty line so that line numbers stay
/// those of the cell: <c>#r "nuget: Id, Version"</c> references the local build (<see cref="NotebookPackages"/>),
/// <c>#i "nuget: source"</c> (a package source) is ignored, <c>#!csharp</c> is dropped. Any other <c>#!</c> magic command
/// and any other <c>#r</c> fail the cell. The first cell that fails to compile or throws ends the run with a
/// <see cref="NotebookCellException"/>. The current directory and the console are process-wide, so runs must not overlap.
/// </remarks>
internal sealed partial class NotebookRunner(NotebookPackages packages)
{
    // The usings the C# kernel starts with.
    private static readonly string[] KernelImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    private static readonly string[] CSharpKernelNames = ["csharp", "c#", "cs"];

    private static readonly Lazy<MetadataReference[]> FrameworkReferences = new(ReadFrameworkReferences);

    /// <summary>Runs every code cell of <paramref name="notebook"/> in order.</summary>
    /// <exception cref="NotebookCellException">A cell has an unsupported directive, does not compile, or throws.</exception>
    public async Task<NotebookRun> RunAsync(Notebook notebook)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        var name = Path.GetFileName(notebook.Path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;
        var options = ScriptOptions.Default
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithReferences(FrameworkReferences.Value)
            .AddReferences(typeof(NotebookKernel).Assembly, typeof(Formatter).Assembly, typeof(IHtmlContent).Assembly)
            .WithImports(KernelImports)
            .WithFilePath(name);

        var clock = Stopwatch.StartNew();
        var cells = new List<ExecutedCell>();
        var previousDirectory = Directory.GetCurrentDirectory();
        var (stdout, stderr) = (Console.Out, Console.Error);
        Directory.SetCurrentDirectory(folder);
        try
        {
            var state = await CSharpScript.RunAsync($"using static {typeof(NotebookKernel).FullName};", options).ConfigureAwait(false);
            foreach (var cell in notebook.Cells.Where(c => c.IsCode))
            {
                var code = ApplyDirectives(name, cell, ref options);
                var recorder = new CellRecorder();
                var cellClock = Stopwatch.StartNew();
                NotebookKernel.Current = recorder;
                Console.SetOut(recorder.Writer("stdout"));
                Console.SetError(recorder.Writer("stderr"));
                try
                {
                    state = await state.ContinueWithAsync(code, options).ConfigureAwait(false);
                }
                catch (CompilationErrorException e)
                {
                    throw new NotebookCellException(name, cell.Number, "does not compile:" + Environment.NewLine +
                        string.Join(Environment.NewLine, e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Describe)), e);
                }
                catch (Exception e)
                {
                    var thrown = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
                    throw new NotebookCellException(name, cell.Number, $"threw {thrown.GetType().FullName}: {thrown.Message}", thrown);
                }
                finally
                {
                    Console.SetOut(stdout);
                    Console.SetError(stderr);
                    NotebookKernel.Current = null;
                }
                int executionCount = cells.Count + 1;
                var outputs = recorder.Outputs.ToList();
                if (HasResult(state.Script))
                    outputs.Add(new ResultOutput(CellRecorder.Format(state.ReturnValue, []), executionCount));
                cells.Add(new ExecutedCell(cell.Number, executionCount, outputs, cellClock.Elapsed));
            }
        }
        finally
        {
            Directory.SetCurrentDirectory(previousDirectory);
        }
        return new NotebookRun(cells, clock.Elapsed);
    }

    /// <summary>The cell's code with its kernel directives applied (references added to <paramref name="options"/>) and
    /// replaced by empty lines.</summary>
    private string ApplyDirectives(string notebook, NotebookCell cell, ref ScriptOptions options)
    {
        var lines = cell.Source.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith("#r", StringComparison.Ordinal) && !line.StartsWith("#i", StringComparison.Ordinal)
                && !line.StartsWith("#!", StringComparison.Ordinal))
                continue;
            if (NugetReference().Match(line) is { Success: true } reference)
            {
                var id = reference.Groups["id"].Value;
                var version = reference.Groups["version"].Success ? reference.Groups["version"].Value : null;
                try
                {
                    options = options.AddReferences(packages.Resolve(id, version));
                }
                catch (NotSupportedException e)
                {
                    throw new NotebookCellException(notebook, cell.Number, $"line {i + 1}: {e.Message}", e);
                }
            }
            else if (line.StartsWith("#i \"nuget:", StringComparison.Ordinal))
            {
                // A package source: the harness maps packages to the local build, so it needs none.
            }
            else if (line.StartsWith("#!", StringComparison.Ordinal) && CSharpKernelNames.Contains(line[2..].Trim(), StringComparer.OrdinalIgnoreCase))
            {
                // The cell is C# already.
            }
            else if (line.StartsWith("#!", StringComparison.Ordinal) || line.StartsWith("#r ", StringComparison.Ordinal)
                || line.StartsWith("#i ", StringComparison.Ordinal))
            {
                throw new NotebookCellException(notebook, cell.Number,
                    $"line {i + 1}: '{line}' is not supported by the notebook harness (it runs C# cells with #r \"nuget: Id, Version\" " +
                    $"references to {string.Join(", ", NotebookPackages.KnownIds)}).");
            }
            else
            {
                continue;
            }
            lines[i] = "";
        }
        return string.Join('\n', lines);
    }

    // Whether the submission ends with an expression that has a value and no semicolon, which the kernel shows as the
    // cell's result.
    private static bool HasResult(Script script)
    {
        var compilation = script.GetCompilation();
        var tree = compilation.SyntaxTrees.Single();
        if (tree.GetCompilationUnitRoot().Members.LastOrDefault()
            is not GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } statement })
            return false;
        var type = compilation.GetSemanticModel(tree).GetTypeInfo(statement.Expression).Type;
        return type is not null && type.SpecialType != SpecialType.System_Void;
    }

    private static string Describe(Diagnostic diagnostic)
    {
        var line = diagnostic.Location.GetLineSpan().StartLinePosition;
        return $"  line {line.Line + 1}, column {line.Character + 1}: {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    // Every assembly of the shared framework the host runs on, as a project targeting it references them.
    private static MetadataReference[] ReadFrameworkReferences()
    {
        var frameworkFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkFolder, StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    }

    [GeneratedRegex("""^#r\s+"nuget:\s*(?<id>[^,"\s]+)\s*(,\s*(?<version>[^"\s]+)\s*)?"$""")]
    private static partial Regex NugetReference();
}
