using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace MemoryContracts.Generators.Tests;

/// <summary>Runs the generator over in-memory sources and additional files, as the compiler would.</summary>
internal sealed class GeneratorHarness
{
    public const string ProjectDirectory = "/project";

    private static readonly ImmutableArray<MetadataReference> Framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator)
        .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
        .ToImmutableArray();

    private readonly List<AdditionalText> _files = new();
    private readonly Dictionary<string, string> _roles = new(StringComparer.Ordinal);

    public string AssemblyName { get; init; } = "Consumer";

    public List<SyntaxTree> Sources { get; } = [];

    public List<MetadataReference> ExtraReferences { get; } = [];

    /// <summary>Extra <c>build_property.*</c> values, as MSBuild would pass them.</summary>
    public Dictionary<string, string> BuildProperties { get; } = new(StringComparer.Ordinal);

    public GeneratorHarness AddFixture(string relativePath, string text) => AddFile(relativePath, text, "fixture");

    public GeneratorHarness AddSchema(string relativePath, string text) => AddFile(relativePath, text, "schema");

    public GeneratorHarness AddFile(string relativePath, string text, string? role)
    {
        var path = ProjectDirectory + "/" + relativePath;
        _files.Add(new InMemoryAdditionalText(path, text));
        if (role is not null)
        {
            _roles[path] = role;
        }

        return this;
    }

    public GeneratorHarness AddSource(string text)
    {
        Sources.Add(CSharpSyntaxTree.ParseText(text, Options, path: $"Source{Sources.Count}.cs"));
        return this;
    }

    public static CSharpParseOptions Options { get; } = new(LanguageVersion.Latest);

    public CSharpCompilation CreateCompilation() => CSharpCompilation.Create(
        AssemblyName,
        Sources,
        Framework.Concat(ExtraReferences),
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error));

    public GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        [new ContractsGenerator().AsSourceGenerator()],
        _files,
        Options,
        new OptionsProvider(_roles, BuildProperties),
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator and compiles its output with the sources; returns both.</summary>
    public (GeneratorDriverRunResult Run, Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics) Run()
    {
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(CreateCompilation(), out var output, out var diagnostics);
        return (driver.GetRunResult(), output, diagnostics);
    }

    public GeneratorHarness ReplaceFile(GeneratorDriver driver, string relativePath, string text, out GeneratorDriver updated)
    {
        var path = ProjectDirectory + "/" + relativePath;
        var old = _files.Single(file => file.Path == path);
        var replacement = new InMemoryAdditionalText(path, text);
        _files[_files.IndexOf(old)] = replacement;
        updated = driver.ReplaceAdditionalText(old, replacement);
        return this;
    }

    private sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class OptionsProvider(Dictionary<string, string> roles, Dictionary<string, string> buildProperties) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new ConfigOptions(new Dictionary<string, string>(buildProperties.ToDictionary(pair => "build_property." + pair.Key, pair => pair.Value))
        {
            ["build_property.ProjectDir"] = ProjectDirectory + "/",
            ["build_property.RootNamespace"] = "Consumer",
        });

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new ConfigOptions([]);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
            new ConfigOptions(roles.TryGetValue(textFile.Path, out var role) ? new Dictionary<string, string> { ["build_metadata.AdditionalFiles.MemoryContractsRole"] = role } : []);
    }

    private sealed class ConfigOptions(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
