using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using MemoryContracts.Generators.Emitting;
using MemoryContracts.Generators.Model;
using MemoryContracts.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace MemoryContracts.Generators;

/// <summary>
/// Generates typed vocabularies from the contract schemas (built-in v1, plus AdditionalFiles with
/// <c>MemoryContractsRole=schema</c>) and typed id accessors for fixtures (AdditionalFiles with
/// <c>MemoryContractsRole=fixture</c>). Parsing builds value-equal models; emitting only writes text.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ContractsGenerator : IIncrementalGenerator
{
    private const string RoleMetadata = "build_metadata.AdditionalFiles.MemoryContractsRole";

    /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
    public static class Steps
    {
        /// <summary>Parsed schema files.</summary>
        public const string Schemas = nameof(Schemas);

        /// <summary>Parsed fixture files.</summary>
        public const string Fixtures = nameof(Fixtures);

        /// <summary>Whether this compilation owns the built-in vocabulary types.</summary>
        public const string Ownership = nameof(Ownership);

        /// <summary>Every known contract.</summary>
        public const string Contracts = nameof(Contracts);

        /// <summary>The class names of all fixtures, for collisions.</summary>
        public const string FixtureNames = nameof(FixtureNames);
    }

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var projectDirectory = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            (Directory: Option(options.GlobalOptions, "build_property.ProjectDir") ?? Option(options.GlobalOptions, "build_property.MSBuildProjectDirectory"),
             RootNamespace: Option(options.GlobalOptions, "build_property.RootNamespace"),
             ValidatedByBuild: Option(options.GlobalOptions, "build_property.MemoryContractsValidatedByBuild") == "true",
             AccessorsInAssembly: string.Equals(Option(options.GlobalOptions, "build_property.MemoryContractsAccessors"), "Assembly", System.StringComparison.OrdinalIgnoreCase),
             VocabulariesInAssembly: Option(options.GlobalOptions, "build_property.MemoryContractsVocabulariesInAssembly") == "true"));

        var roles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, _) => (Text: pair.Left, Role: Option(pair.Right.GetOptions(pair.Left), RoleMetadata)));

        var schemas = roles
            .Where(static file => file.Role == "schema")
            .Select(static (file, cancellation) => SchemaParser.Parse(file.Text.Path, file.Text.GetText(cancellation)?.ToString() ?? string.Empty, builtIn: false))
            .WithTrackingName(Steps.Schemas);

        var fixtures = roles
            .Where(static file => file.Role == "fixture")
            .Combine(projectDirectory)
            .Select(static (pair, cancellation) => FixtureParser.Parse(pair.Left.Text.Path, AccessorPlan.DisplayPath(pair.Left.Text.Path, pair.Right.Directory), pair.Left.Text.GetText(cancellation)?.ToString() ?? string.Empty))
            .WithTrackingName(Steps.Fixtures);

        var ownership = context.CompilationProvider
            .Select(static (compilation, _) => (
                EmitBuiltIns: compilation.AssemblyName == "MemoryContracts" || !compilation.ReferencedAssemblyNames.Any(reference => reference.Name == "MemoryContracts"),
                Public: compilation.AssemblyName == "MemoryContracts"))
            .WithTrackingName(Steps.Ownership);

        // With MemoryContractsVocabulariesInAssembly (set by the build with MemoryContractsAccessors=Assembly) the build
        // writes the vocabularies into the accessor assembly, so this compilation declares none and reads no schema.
        var contracts = schemas.Collect()
            .Combine(ownership)
            .Combine(projectDirectory.Select(static (project, _) => project.VocabulariesInAssembly))
            .Select(static (pair, _) => pair.Right ? ContractSet.None : BuiltInSchemas.With(pair.Left.Left.Where(result => result.Schema is not null).Select(result => result.Schema!), pair.Left.Right.EmitBuiltIns, pair.Left.Right.Public))
            .WithTrackingName(Steps.Contracts);

        var fixtureNames = fixtures
            .Select(static (fixture, _) => new FixtureName(fixture.Path, Identifiers.ToPascalCase(fixture.Name)))
            .Collect()
            .Select(static (names, _) => new EquatableArray<FixtureName>(names.OrderBy(name => name.Path, System.StringComparer.Ordinal)))
            .WithTrackingName(Steps.FixtureNames);

        context.RegisterSourceOutput(schemas, static (output, schema) =>
        {
            foreach (var diagnostic in schema.Diagnostics)
            {
                output.ReportDiagnostic(GeneratorDiagnostics.ToDiagnostic(diagnostic));
            }
        });

        context.RegisterSourceOutput(contracts, static (output, contractSet) =>
        {
            var diagnostics = new List<DiagnosticInfo>();
            foreach (var (hintName, source) in VocabularyEmitter.Emit(contractSet, diagnostics))
            {
                output.AddSource(hintName, SourceText.From(source, System.Text.Encoding.UTF8));
            }

            diagnostics.ForEach(diagnostic => output.ReportDiagnostic(GeneratorDiagnostics.ToDiagnostic(diagnostic)));
        });

        // MemoryFixtures always exists in the root namespace, fixtures or not, so the implicit 'using <RootNamespace>'
        // the package adds (for top-level statements) never names an empty namespace (CS0246). With
        // MemoryContractsAccessors=Assembly the build writes MemoryFixtures into an assembly the project references.
        context.RegisterSourceOutput(projectDirectory.Select(static (project, _) => (project.RootNamespace, project.AccessorsInAssembly)), static (output, project) =>
        {
            if (!project.AccessorsInAssembly)
            {
                output.AddSource("MemoryFixtures.g.cs", SourceText.From(FixtureEmitter.EmitAnchor(project.RootNamespace), System.Text.Encoding.UTF8));
            }
        });

        context.RegisterSourceOutput(fixtures.Combine(contracts).Combine(fixtureNames).Combine(projectDirectory), static (output, input) =>
        {
            var (((fixture, contractSet), names), project) = input;
            EmitFixture(output, fixture, contractSet, names, project.Directory, project.RootNamespace, project.ValidatedByBuild);
        });
    }

    /// <summary>
    /// Emits a fixture's accessors. When the build integration validates fixtures, problems it reports too (a file
    /// that cannot be read, an unknown contract) are left to it, so each problem appears once.
    /// </summary>
    private static void EmitFixture(SourceProductionContext output, FixtureModel fixture, ContractSet contracts, EquatableArray<FixtureName> names, string? projectDirectory, string? rootNamespace, bool validatedByBuild)
    {
        var diagnostics = new List<DiagnosticInfo>(fixture.Diagnostics);
        var owner = names.First(name => name.ClassName == Identifiers.ToPascalCase(fixture.Name));
        if (AccessorPlan.ForFixture(fixture, AccessorPlan.DisplayPath(fixture.Path, projectDirectory), owner.Path, contracts.FamilyOf(fixture.SchemaVersion), diagnostics) is { } plan)
        {
            output.AddSource($"MemoryFixtures.{plan.ClassName}.g.cs", SourceText.From(FixtureEmitter.Emit(plan, rootNamespace), System.Text.Encoding.UTF8));
        }

        foreach (var diagnostic in diagnostics.Where(diagnostic => !validatedByBuild || AccessorPlan.IsFoundOnlyByPlanning(diagnostic.Code)))
        {
            output.ReportDiagnostic(GeneratorDiagnostics.ToDiagnostic(diagnostic));
        }
    }

    private static string? Option(AnalyzerConfigOptions options, string key) =>
        options.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private sealed record FixtureName(string Path, string ClassName);
}
