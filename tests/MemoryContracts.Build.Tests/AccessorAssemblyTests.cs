using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit;

namespace MemoryContracts.Build.Tests;

/// <summary>
/// Issue 17, target 4: <c>MemoryContractsAccessors=Assembly</c> writes the typed accessors as metadata into a referenced
/// assembly. Real <c>dotnet build</c> runs hold it to the generator's accessors (the same members, values and
/// documentation), to <c>const</c> and to a rename breaking compilation, and check what it reports and packs.
/// </summary>
public sealed class AccessorAssemblyTests
{
    /// <summary>Every valid example fixture, as both modes see it.</summary>
    private static readonly string[] Examples =
    [
        "decision-graph.yaml", "decision-graph-selection.yaml", "knowledge-neighborhood.yaml", "knowledge-neighborhood-selection.yaml",
        "conversation-path.yaml", "conversation-path-selection.yaml", "memory-profile.local.yaml",
    ];

    /// <summary>
    /// Ids and titles that test both writers' escaping: markup, quotes, backslashes, non-ASCII text, a line break in a
    /// title, an id that starts with a digit, and a graph with no edges.
    /// </summary>
    private const string Hostile = """
        schema_version: markitect.memory.graph.v1
        id: hostile
        title: "Quotes \" and <tags> & ampersands ]]>"
        nodes:
          - {id: 2026-plan, kind: decision, title: "A <b>bold</b> & \"quoted\" plan", text: One.}
          - {id: "ünïcode-ид", kind: claim, title: "Ünïcode — 日本語 \\ back\\slash", text: Two.}
          - {id: line-break, kind: claim, title: "line one\nline two", text: Three.}

        """;

    /// <summary>
    /// Prints every type, field and property under <c>MemoryFixtures</c> by reflection (names, whether a field is a
    /// constant, values, the lists' contents), then uses one id as a <c>case</c> label.
    /// </summary>
    private const string DumpProgram = """
        using System.Reflection;

        static void Dump(Type type, string indent)
        {
            Console.WriteLine($"{indent}class {type.Name} static={type.IsAbstract && type.IsSealed}");
            foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).OrderBy(field => field.Name, StringComparer.Ordinal))
            {
                Console.WriteLine($"{indent}  {(field.IsLiteral ? "const" : "field")} {field.FieldType.Name} {field.Name} = {field.GetValue(null)}");
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Static).OrderBy(property => property.Name, StringComparer.Ordinal))
            {
                Console.WriteLine($"{indent}  property {property.PropertyType.Name} {property.Name} writable={property.CanWrite} = [{string.Join(", ", (IEnumerable<string>)property.GetValue(null)!)}]");
            }

            foreach (var nested in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).OrderBy(nested => nested.Name, StringComparer.Ordinal))
            {
                Dump(nested, indent + "  ");
            }
        }

        Dump(typeof(MemoryFixtures), string.Empty);
        Console.WriteLine("validate-in-build" switch { MemoryFixtures.DecisionGraph.Nodes.ValidateInBuild => "case label: matched", _ => "case label: missed" });
        """;

    [Fact]
    public void The_assembly_has_the_generators_members_values_and_documentation()
    {
        var source = Build("Source");
        var assembly = Build("Assembly");

        Assert.Equal(source.Run, assembly.Run);
        Assert.Contains("      const String ValidateInBuild = validate-in-build", assembly.Run, StringComparison.Ordinal);
        Assert.Contains("property IReadOnlyList`1 Decision writable=False = [validate-in-build, keep-compiler-boundary]", assembly.Run, StringComparison.Ordinal);
        Assert.EndsWith("case label: matched", assembly.Run.TrimEnd(), StringComparison.Ordinal);

        // The source mode's documentation of MemoryFixtures (in the project's XML file) is the assembly's, member by member.
        var expected = Documentation(Path.Combine(source.Project.Output, "Consumer.xml"), "Consumer.MemoryFixtures");
        var actual = Documentation(Path.Combine(assembly.Project.Output, "Consumer.MemoryFixtures.xml"), "Consumer.MemoryFixtures");
        Assert.True(expected.Count > 100, $"only {expected.Count} documented members");
        Assert.Equal(expected, actual);
        Assert.Equal("decision: Validate every fixture during dotnet build (defined at memory/decision-graph.yaml(20,9))", actual["F:Consumer.MemoryFixtures.DecisionGraph.Nodes.ValidateInBuild"]);

        Assert.Equal("decision: A <b>bold</b> & \"quoted\" plan (defined at memory/hostile.yaml(5,10))", actual["F:Consumer.MemoryFixtures.Hostile.Nodes._2026Plan"]);
        Assert.Equal("claim: line one line two (defined at memory/hostile.yaml(7,10))", actual["F:Consumer.MemoryFixtures.Hostile.Nodes.LineBreak"]);

        // In this mode the project's own assembly declares no MemoryFixtures: it binds the referenced one.
        Assert.Contains("MemoryFixtures", TypeNames(Path.Combine(source.Project.Output, "Consumer.dll")));
        Assert.DoesNotContain("MemoryFixtures", TypeNames(Path.Combine(assembly.Project.Output, "Consumer.dll")));
        Assert.Contains("MemoryFixtures", TypeNames(Path.Combine(assembly.Project.Output, "Consumer.MemoryFixtures.dll")));
    }

    [Fact]
    public void A_renamed_id_breaks_compilation_and_the_package_carries_the_assembly()
    {
        var project = new ConsumerProject("<OutputType>Exe</OutputType><MemoryContractsAccessors>Assembly</MemoryContractsAccessors><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable>", withGenerator: true)
            .AddExample("decision-graph.yaml")
            .Write("Program.cs", "Console.WriteLine(MemoryFixtures.DecisionGraph.Nodes.ValidateInBuild);\n");
        var (exit, output) = project.Run("build");
        Assert.True(exit == 0, output);
        var accessors = Path.Combine(project.Intermediate, "accessors", "Consumer.MemoryFixtures.dll");
        var written = File.GetLastWriteTimeUtc(accessors);

        // Nothing changed: the accessors are not written again.
        (exit, output) = project.Run("build");
        Assert.True(exit == 0, output);
        Assert.Equal(written, File.GetLastWriteTimeUtc(accessors));

        // The id renamed everywhere in the graph (so the graph stays valid): the code that names it no longer compiles.
        project.Write("memory/decision-graph.yaml", ConsumerProject.Example("decision-graph.yaml").Replace("validate-in-build", "validate-on-build", StringComparison.Ordinal));
        (exit, output) = project.Run("build");
        Assert.NotEqual(0, exit);
        Assert.Contains("Program.cs(1,54): error CS0117: 'MemoryFixtures.DecisionGraph.Nodes' does not contain a definition for 'ValidateInBuild'", output, StringComparison.Ordinal);
        Assert.Empty(ConsumerProject.Diagnostics(output));

        project.Write("Program.cs", "Console.WriteLine(MemoryFixtures.DecisionGraph.Nodes.ValidateOnBuild);\n");
        (exit, output) = project.Run("pack", "-o", Path.Combine(project.Directory, "nupkg"));
        Assert.True(exit == 0, output);
        using var package = ZipFile.OpenRead(Path.Combine(project.Directory, "nupkg", "Consumer.1.0.0.nupkg"));
        var entries = package.Entries.Select(entry => entry.FullName).ToArray();
        Assert.Contains("lib/net10.0/Consumer.dll", entries);
        Assert.Contains("lib/net10.0/Consumer.MemoryFixtures.dll", entries);
        Assert.Contains("lib/net10.0/Consumer.MemoryFixtures.xml", entries);
    }

    [Fact]
    public void Ids_with_the_same_csharp_name_are_reported_where_the_generator_reports_them()
    {
        const string Clash = """
            schema_version: markitect.memory.graph.v1
            id: clash
            nodes:
              - {id: keep-boundary, kind: decision, title: First}
              - {id: keep_boundary, kind: decision, title: Second}
            """;
        var project = new ConsumerProject("<MemoryContractsAccessors>Assembly</MemoryContractsAccessors>", withGenerator: true)
            .Write("memory/clash.yaml", Clash + "\n");
        var (exit, output) = project.Run("build");
        Assert.NotEqual(0, exit);
        Assert.Equal(
            ["memory/clash.yaml(5,10,5,23): error MC2011: node id 'keep_boundary' becomes the C# name 'Nodes.KeepBoundary', which node 'keep-boundary' already has; no accessor is generated for it"],
            ConsumerProject.Diagnostics(output));
        Assert.False(File.Exists(Path.Combine(project.Intermediate, "accessors", "Consumer.MemoryFixtures.dll")));
    }

    [Fact]
    public void A_project_with_no_fixture_gets_an_empty_MemoryFixtures()
    {
        var project = new ConsumerProject("<OutputType>Exe</OutputType><MemoryContractsAccessors>Assembly</MemoryContractsAccessors><ImplicitUsings>enable</ImplicitUsings>", withGenerator: true)
            .Write("Program.cs", "Console.WriteLine(typeof(MemoryFixtures).Assembly.GetName().Name);\n");
        var (exit, output) = project.Run("build");
        Assert.True(exit == 0, output);
        var (runExit, run) = ConsumerProject.RunIn(project.Output, "Consumer.dll");
        Assert.True(runExit == 0, run);
        Assert.Equal("Consumer.MemoryFixtures", run.Trim());
    }

    private static (ConsumerProject Project, string Run) Build(string accessors)
    {
        var project = new ConsumerProject($"<OutputType>Exe</OutputType><MemoryContractsAccessors>{accessors}</MemoryContractsAccessors><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable><GenerateDocumentationFile>true</GenerateDocumentationFile><NoWarn>$(NoWarn);CS1591</NoWarn>", withGenerator: true);
        foreach (var example in Examples)
        {
            project.AddExample(example);
        }

        project.Write("memory/hostile.yaml", Hostile);
        project.Write("Program.cs", DumpProgram);
        var (exit, output) = project.Run("build");
        Assert.True(exit == 0, output);
        var (runExit, run) = ConsumerProject.RunIn(project.Output, "Consumer.dll");
        Assert.True(runExit == 0, run);
        return (project, run);
    }

    private static string[] TypeNames(string assembly)
    {
        using var reader = new PEReader(File.OpenRead(assembly));
        var metadata = reader.GetMetadataReader();
        return metadata.TypeDefinitions.Select(type => metadata.GetString(metadata.GetTypeDefinition(type).Name)).ToArray();
    }

    /// <summary>The summaries of the members under <paramref name="prefix"/> in a documentation file, by documentation id.</summary>
    private static Dictionary<string, string> Documentation(string path, string prefix) =>
        XDocument.Load(path).Descendants("member")
            .Where(member => ((string)member.Attribute("name")!).Substring(2).StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(member => (string)member.Attribute("name")!, member => member.Element("summary")!.Value);
}
