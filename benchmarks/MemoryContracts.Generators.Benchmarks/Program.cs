using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using MemoryContracts.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

// Usage: dotnet run -c Release --project benchmarks/MemoryContracts.Generators.Benchmarks -- [runs]
// Times the MemoryContracts generator (v1 schemas + 100 fixtures of 1,000 nodes) cold and on a no-change re-run,
// beside the SDK's System.Text.Json generator on 100 serializable types of 20 properties, in the same process.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var parse = new CSharpParseOptions(LanguageVersion.Latest);
var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
    .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "netstandard.dll")
    .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToList();

var fixtures = Enumerable.Range(0, 100).Select(i => (AdditionalText)new Text($"/project/memory/graph-{i:D3}.yaml", Fixture(i, 1000))).ToImmutableArray();
var memoryCompilation = CSharpCompilation.Create("Consumer", [CSharpSyntaxTree.ParseText("namespace Consumer; public static class Empty { }", parse)], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
var ours = Measure(() => CSharpGeneratorDriver.Create([new ContractsGenerator().AsSourceGenerator()], fixtures, parse, new Roles()), memoryCompilation);

var stjPath = Directory.GetFiles(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref"), "System.Text.Json.SourceGeneration.dll", SearchOption.AllDirectories)
    .OrderBy(path => path, StringComparer.Ordinal).Last();
var stjGenerator = Assembly.LoadFrom(stjPath).GetTypes().Where(type => typeof(IIncrementalGenerator).IsAssignableFrom(type) && !type.IsAbstract)
    .Select(type => ((IIncrementalGenerator)Activator.CreateInstance(type)!).AsSourceGenerator()).Single();
var stjCompilation = CSharpCompilation.Create("Consumer", [CSharpSyntaxTree.ParseText(SerializableTypes(100, 20), parse)], references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
var stj = Measure(() => CSharpGeneratorDriver.Create([stjGenerator], parseOptions: parse), stjCompilation);

Console.WriteLine($"Runs: {runs} (median), after one warm-up. Generated: ours {ours.Files} files / {ours.Characters / 1e6:F1} M characters; System.Text.Json {stj.Files} files / {stj.Characters / 1e6:F1} M characters.");
Console.WriteLine();
Console.WriteLine("| generator | input | cold run | no-change re-run |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine($"| MemoryContracts.Generators | v1 schemas + 100 fixtures x 1,000 nodes (2.3 MB of YAML) | {ours.Cold:F1} ms | {ours.Rerun:F3} ms |");
Console.WriteLine($"| System.Text.Json ({Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(stjPath))))!)}) | 100 [JsonSerializable] types x 20 properties | {stj.Cold:F1} ms | {stj.Rerun:F3} ms |");
return 0;

(double Cold, double Rerun, int Files, long Characters) Measure(Func<GeneratorDriver> create, Compilation compilation)
{
    create().RunGenerators(compilation);
    var cold = new List<double>();
    var rerun = new List<double>();
    GeneratorDriverRunResult? last = null;
    for (var i = 0; i < runs; i++)
    {
        var stopwatch = Stopwatch.StartNew();
        var driver = create().RunGenerators(compilation);
        cold.Add(stopwatch.Elapsed.TotalMilliseconds);
        for (var j = 0; j < 20; j++)
        {
            stopwatch.Restart();
            driver = driver.RunGenerators(compilation);
            rerun.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        last = driver.GetRunResult();
    }

    var failure = last!.Results.Select(result => result.Exception).FirstOrDefault(exception => exception is not null);
    if (failure is not null)
    {
        throw new InvalidOperationException("The generator failed.", failure);
    }

    var sources = last.Results.SelectMany(result => result.GeneratedSources).ToArray();
    return (Median(cold), Median(rerun), sources.Length, sources.Sum(source => (long)source.SourceText.Length));
}

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}

static string Fixture(int index, int nodes)
{
    var text = new StringBuilder($"schema_version: markitect.memory.graph.v1\nid: graph-{index}\ntitle: Synthetic graph {index}\nnodes:\n");
    for (var i = 0; i < nodes; i++)
    {
        text.Append($"  - {{id: n{i:D5}, kind: {(i % 2 == 0 ? "decision" : "claim")}, title: Memory {i} of graph {index}}}\n");
    }

    text.Append("edges:\n");
    for (var i = 0; i + 1 < nodes; i++)
    {
        text.Append($"  - {{id: e{i:D5}, kind: supports, source: n{i:D5}, target: n{i + 1:D5}}}\n");
    }

    return text.ToString();
}

static string SerializableTypes(int types, int properties)
{
    var text = new StringBuilder("using System.Text.Json.Serialization;\nnamespace Consumer;\n");
    for (var t = 0; t < types; t++)
    {
        text.Append($"public sealed class Model{t} {{ ");
        for (var p = 0; p < properties; p++)
        {
            text.Append(p % 3 == 0 ? $"public string? Name{p} {{ get; set; }} " : p % 3 == 1 ? $"public int Count{p} {{ get; set; }} " : $"public System.Collections.Generic.List<string>? Items{p} {{ get; set; }} ");
        }

        text.Append("}\n");
    }

    text.Append(string.Concat(Enumerable.Range(0, types).Select(t => $"[JsonSerializable(typeof(Model{t}))]\n")));
    text.Append("public partial class ModelContext : JsonSerializerContext { }\n");
    return text.ToString();
}

sealed class Text(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

sealed class Roles : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(new() { ["build_property.ProjectDir"] = "/project/", ["build_property.RootNamespace"] = "Consumer" });

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options([]);

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(new() { ["build_metadata.AdditionalFiles.MemoryContractsRole"] = "fixture" });
}

sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
{
    public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
}
