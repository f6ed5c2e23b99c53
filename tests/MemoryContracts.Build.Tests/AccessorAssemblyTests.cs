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

        static string Call(Func<object?> call)
        {
            try
            {
                return call() is { } result ? result.ToString()! : "null";
            }
            catch (TargetInvocationException exception)
            {
                return $"{exception.InnerException!.GetType().Name}: {exception.InnerException.Message}";
            }
        }

        static void DumpVocabularies()
        {
            foreach (var type in typeof(NodeKind).Assembly.GetTypes().Where(type => type.Namespace == "MemoryContracts").OrderBy(type => type.Name, StringComparer.Ordinal))
            {
                Console.WriteLine($"{(type.IsEnum ? "enum" : "class")} {type.Name} internal={type.IsNotPublic} static={type.IsAbstract && type.IsSealed} generated={type.GetCustomAttribute<System.CodeDom.Compiler.GeneratedCodeAttribute>()?.Tool} extensions={type.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute))}");
                if (type.IsEnum)
                {
                    Console.WriteLine("  " + string.Join(", ", Enum.GetValues(type).Cast<object>().Select(value => $"{value}={(int)value}")));
                    continue;
                }

                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).OrderBy(field => field.Name, StringComparer.Ordinal))
                {
                    Console.WriteLine($"  {(field.IsLiteral ? "const" : "field")} {field.FieldType.Name} {field.Name} = {field.GetValue(null)}");
                }

                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Static).OrderBy(property => property.Name, StringComparer.Ordinal))
                {
                    var list = (System.Collections.IEnumerable)property.GetValue(null)!;
                    Console.WriteLine($"  property {property.PropertyType} {property.Name} writable={property.CanWrite} = [{string.Join(", ", list.Cast<object>())}] {list.GetType().Name}");
                }

                var methods = type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).Where(method => !method.IsSpecialName).OrderBy(method => method.Name, StringComparer.Ordinal).ToArray();
                foreach (var method in methods)
                {
                    Console.WriteLine($"  method {method.ReturnType.Name} {method.Name}({string.Join(", ", method.GetParameters().Select(parameter => $"{(parameter.IsOut ? "out " : string.Empty)}{parameter.ParameterType.Name} {parameter.Name}"))}) extension={method.IsDefined(typeof(System.Runtime.CompilerServices.ExtensionAttribute))}");
                }

                if (methods.FirstOrDefault(method => method.Name == "ToWireName") is not { } toWireName)
                {
                    continue;
                }

                var terms = toWireName.GetParameters()[0].ParameterType;
                var tryParse = methods.Single(method => method.Name == "TryParse");
                var parse = methods.Single(method => method.Name == "Parse");
                foreach (var value in Enum.GetValues(terms).Cast<object>().Append(Enum.ToObject(terms, -1)).Append(Enum.ToObject(terms, 999)))
                {
                    Console.WriteLine($"  ToWireName({(int)value}) -> {Call(() => toWireName.Invoke(null, [value]))}");
                }

                var wireNames = (IEnumerable<string>)type.GetProperty("WireNames")!.GetValue(null)!;
                foreach (var name in wireNames.Concat(wireNames.Select(name => name.ToUpperInvariant())).Append("nope").Append(string.Empty).Append(null))
                {
                    var arguments = new object?[] { name, null };
                    var found = tryParse.Invoke(null, arguments);
                    Console.WriteLine($"  TryParse({name ?? "null"}) -> {found} {arguments[1]}; Parse -> {Call(() => parse.Invoke(null, [name]))}");
                }
            }
        }

        Dump(typeof(MemoryFixtures), string.Empty);
        Console.WriteLine("validate-in-build" switch { MemoryFixtures.DecisionGraph.Nodes.ValidateInBuild => "case label: matched", _ => "case label: missed" });
        DumpVocabularies();
        Console.WriteLine($"extension call: {NodeKind.Decision.ToWireName()}; parsed: {NodeKinds.Parse("claim")}; contract: {SchemaVersions.GraphV1 switch { "markitect.memory.graph.v1" => "const", _ => "other" }}");
        string? maybe = args.Length > 99 ? null : "claim";
        Console.WriteLine($"nullable: {NodeKinds.TryParse(maybe, out var parsed)} {parsed} {NodeKinds.Parse(maybe)}");
        """;

    [Fact]
    public void The_assembly_has_the_generators_members_values_and_documentation()
    {
        var source = Build("Source");
        var assembly = Build("Assembly");

        Assert.Equal(source.Run, assembly.Run);

        // The same nullable annotations: Parse takes a string that is not null, TryParse a string? (one warning, in both).
        Assert.Single(source.Warnings);
        Assert.StartsWith("Program.cs(", source.Warnings[0], StringComparison.Ordinal);
        Assert.Contains("warning CS8604: Possible null reference argument for parameter 'wireName' in 'NodeKind NodeKinds.Parse(string wireName)'", source.Warnings[0], StringComparison.Ordinal);
        Assert.Equal(source.Warnings, assembly.Warnings);

        Assert.Contains("      const String ValidateInBuild = validate-in-build", assembly.Run, StringComparison.Ordinal);
        Assert.Contains("property IReadOnlyList`1 Decision writable=False = [validate-in-build, keep-compiler-boundary]", assembly.Run, StringComparison.Ordinal);
        Assert.Contains("case label: matched", assembly.Run, StringComparison.Ordinal);

        // The source mode's documentation of MemoryFixtures (in the project's XML file) is the assembly's, member by member.
        var actual = SameDocumentation(source.Project, assembly.Project, "Consumer.MemoryFixtures", atLeast: 100);
        Assert.Equal("decision: Validate every fixture during dotnet build (defined at memory/decision-graph.yaml(20,9))", actual["F:Consumer.MemoryFixtures.DecisionGraph.Nodes.ValidateInBuild"]);

        Assert.Equal("decision: A <b>bold</b> & \"quoted\" plan (defined at memory/hostile.yaml(5,10))", actual["F:Consumer.MemoryFixtures.Hostile.Nodes._2026Plan"]);
        Assert.Equal("claim: line one line two (defined at memory/hostile.yaml(7,10))", actual["F:Consumer.MemoryFixtures.Hostile.Nodes.LineBreak"]);

        // The vocabularies: the same types, members, lists, results and exception messages, and the same documentation.
        Assert.Contains("enum NodeKind internal=True static=False generated=MemoryContracts.Generators extensions=False", assembly.Run, StringComparison.Ordinal);
        Assert.Contains("  method String ToWireName(NodeKind value) extension=True", assembly.Run, StringComparison.Ordinal);
        Assert.Contains("  method Boolean TryParse(String wireName, out NodeKind& value) extension=False", assembly.Run, StringComparison.Ordinal);
        Assert.Contains("  ToWireName(999) -> ArgumentOutOfRangeException: NodeKind has no such term. (Parameter 'value')", assembly.Run, StringComparison.Ordinal);
        Assert.Contains("  TryParse(nope) -> False Question; Parse -> FormatException: 'nope' is not a NodeKind of markitect.memory.graph.v1.", assembly.Run, StringComparison.Ordinal);
        Assert.Contains("  const String GraphV1 = markitect.memory.graph.v1", assembly.Run, StringComparison.Ordinal);
        Assert.Contains("extension call: decision; parsed: Claim; contract: const", assembly.Run, StringComparison.Ordinal);
        var actualVocabularies = SameDocumentation(source.Project, assembly.Project, "MemoryContracts.", atLeast: 200);
        Assert.Equal("Reads a wire name; false for a name outside the vocabulary.", actualVocabularies["M:MemoryContracts.NodeKinds.TryParse(System.String,MemoryContracts.NodeKind@)"]);

        // In this mode the project's own assembly declares no MemoryFixtures and no vocabulary: it binds the referenced ones.
        Assert.Contains("MemoryFixtures", TypeNames(Path.Combine(source.Project.Output, "Consumer.dll")));
        Assert.Contains("NodeKind", TypeNames(Path.Combine(source.Project.Output, "Consumer.dll")));
        Assert.DoesNotContain("MemoryFixtures", TypeNames(Path.Combine(assembly.Project.Output, "Consumer.dll")));
        Assert.DoesNotContain("NodeKind", TypeNames(Path.Combine(assembly.Project.Output, "Consumer.dll")));
        Assert.Contains("MemoryFixtures", TypeNames(Path.Combine(assembly.Project.Output, "Consumer.MemoryFixtures.dll")));
        Assert.Contains("NodeKind", TypeNames(Path.Combine(assembly.Project.Output, "Consumer.MemoryFixtures.dll")));
    }

    [Fact]
    public void A_renamed_id_breaks_compilation_and_the_package_carries_the_assembly()
    {
        var project = DecisionGraphProject("<ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable>", "Console.WriteLine(MemoryFixtures.DecisionGraph.Nodes.ValidateInBuild);\n");
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

        // dotnet publish carries it too, and the published app runs the vocabularies' code from it.
        project.Write("Program.cs", "Console.WriteLine(MemoryFixtures.DecisionGraph.Nodes.ValidateOnBuild + \" \" + NodeKinds.Parse(\"risk\").ToWireName());\n");
        var published = Path.Combine(project.Directory, "published");
        (exit, output) = project.Run("publish", "-o", published);
        Assert.True(exit == 0, output);
        Assert.True(File.Exists(Path.Combine(published, "Consumer.MemoryFixtures.dll")), output);
        var (runExit, run) = ConsumerProject.RunIn(published, "Consumer.dll");
        Assert.True(runExit == 0, run);
        Assert.Equal("validate-on-build risk", run.Trim());
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

    [Fact]
    public void A_project_that_comes_to_reference_MemoryContracts_loses_the_built_in_vocabularies_from_the_assembly()
    {
        // Built without the library, the assembly declares NodeKind for the project.
        var project = DecisionGraphProject("<ImplicitUsings>enable</ImplicitUsings>", "Console.WriteLine(NodeKind.Decision.ToWireName() + \" \" + MemoryFixtures.DecisionGraph.Nodes.ValidateInBuild);\n");
        var (exit, output) = project.Run("build");
        Assert.True(exit == 0, output);
        var accessors = Path.Combine(project.Output, "Consumer.MemoryFixtures.dll");
        Assert.Contains("NodeKind", TypeNames(accessors));

        // Referencing the library, which declares NodeKind publicly: the assembly is written again without the built-in
        // vocabularies (a second NodeKind visible to the project would make every use ambiguous, CS0433).
        var library = Path.Combine(ConsumerProject.RepositoryRoot, "src", "MemoryContracts", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net8.0", "MemoryContracts.dll");
        var csproj = Path.Combine(project.Directory, "Consumer.csproj");
        File.WriteAllText(csproj, File.ReadAllText(csproj).Replace("<MemoryFixture Include=", $"<Reference Include=\"{library}\" /><MemoryFixture Include=", StringComparison.Ordinal));
        (exit, output) = project.Run("build");
        Assert.True(exit == 0, output);
        Assert.DoesNotContain("NodeKind", TypeNames(accessors));
        Assert.DoesNotContain("SchemaVersions", TypeNames(accessors));
        Assert.Contains("MemoryFixtures", TypeNames(accessors));
    }

    [Fact]
    public void A_project_that_references_this_one_names_its_accessors_and_runs()
    {
        // A test project, say, with a plain ProjectReference: it compiles against the accessor assembly too, copies it,
        // lists it in its .deps.json, and runs (with Source the accessors are public types of Consumer.dll).
        var project = DecisionGraphProject("<ImplicitUsings>enable</ImplicitUsings>", "Console.WriteLine(MemoryFixtures.DecisionGraph.Id);\n");
        var user = Path.Combine(project.Directory, "user");
        Directory.CreateDirectory(user);
        File.WriteAllText(Path.Combine(user, "User.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><ProjectReference Include="../Consumer.csproj" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(user, "Program.cs"), "System.Console.WriteLine(Consumer.MemoryFixtures.DecisionGraph.Nodes.ValidateInBuild + \" \" + string.Join(\",\", Consumer.MemoryFixtures.DecisionGraph.Nodes.ByKind.Decision));\n");
        // The referencing project sits inside the referenced one's folder: keep its files out of the referenced project's items.
        File.WriteAllText(Path.Combine(project.Directory, "Directory.Build.props"), "<Project><PropertyGroup><DefaultItemExcludes>$(DefaultItemExcludes);user/**</DefaultItemExcludes></PropertyGroup></Project>\n");
        var (exit, output) = ConsumerProject.RunIn(user, "build");
        Assert.True(exit == 0, output);
        var bin = Path.Combine(user, "bin", "Debug", "net10.0");
        Assert.True(File.Exists(Path.Combine(bin, "Consumer.MemoryFixtures.dll")), output);
        Assert.Contains("\"Consumer.MemoryFixtures.dll\"", File.ReadAllText(Path.Combine(bin, "User.deps.json")), StringComparison.Ordinal);
        var (runExit, run) = ConsumerProject.RunIn(bin, "User.dll");
        Assert.True(runExit == 0, run);
        Assert.Equal("validate-in-build validate-in-build,keep-compiler-boundary", run.Trim());
    }

    [Fact]
    public void A_dotnet_framework_project_binds_the_netstandard_assembly()
    {
        // The assembly is resolved like any reference, so a .NET Framework project gets the netstandard facades it needs
        // to bind its enums and lists (written after reference resolution, it failed with CS0012 for 'Enum').
        var project = DecisionGraphProject("<LangVersion>latest</LangVersion>", "using MemoryContracts;\nclass Program { static void Main() { System.Console.WriteLine(Consumer.MemoryFixtures.DecisionGraph.Nodes.ValidateInBuild + NodeKind.Decision.ToWireName() + NodeKinds.All.Count); } }\n");
        var csproj = Path.Combine(project.Directory, "Consumer.csproj");
        File.WriteAllText(csproj, File.ReadAllText(csproj)
            .Replace("<TargetFramework>net10.0</TargetFramework>", "<TargetFramework>net472</TargetFramework>", StringComparison.Ordinal)
            .Replace("<MemoryFixture Include=", $"<PackageReference Include=\"Microsoft.NETFramework.ReferenceAssemblies\" Version=\"{ConsumerProject.PackageVersion("Microsoft.NETFramework.ReferenceAssemblies")}\" PrivateAssets=\"all\" /><MemoryFixture Include=", StringComparison.Ordinal));
        var (exit, output) = project.Run("build");
        Assert.True(exit == 0, output);
        var bin = Path.Combine(project.Directory, "bin", "Debug", "net472");
        Assert.Contains("NodeKind", TypeNames(Path.Combine(bin, "Consumer.MemoryFixtures.dll")));
        Assert.DoesNotContain("NodeKind", TypeNames(Path.Combine(bin, "Consumer.exe")));
    }

    [Fact]
    public void A_strong_named_project_keeps_its_vocabularies_from_the_generator()
    {
        var project = DecisionGraphProject("<ImplicitUsings>enable</ImplicitUsings><SignAssembly>true</SignAssembly><AssemblyOriginatorKeyFile>key.snk</AssemblyOriginatorKeyFile>", "Console.WriteLine(NodeKind.Decision.ToWireName() + \" \" + MemoryFixtures.DecisionGraph.Nodes.ValidateInBuild + \" \" + typeof(NodeKind).Assembly.GetName().Name);\n");
        File.WriteAllBytes(Path.Combine(project.Directory, "key.snk"), StrongNameKey());
        var (exit, output) = project.Run("build");
        Assert.True(exit == 0, output);
        var (runExit, run) = ConsumerProject.RunIn(project.Output, "Consumer.dll");
        Assert.True(runExit == 0, run);
        Assert.Equal("decision validate-in-build Consumer", run.Trim());
        Assert.Contains("NodeKind", TypeNames(Path.Combine(project.Output, "Consumer.dll")));
        Assert.DoesNotContain("NodeKind", TypeNames(Path.Combine(project.Output, "Consumer.MemoryFixtures.dll")));
    }

    /// <summary>A new 1024-bit RSA key pair as a .snk file (a CryptoAPI PRIVATEKEYBLOB, integers little-endian).</summary>
    private static byte[] StrongNameKey()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(1024);
        var key = rsa.ExportParameters(includePrivateParameters: true);
        static byte[] LittleEndian(byte[] value) => value.Reverse().ToArray();
        using var blob = new MemoryStream();
        using var writer = new BinaryWriter(blob);
        writer.Write((byte)0x07); // PRIVATEKEYBLOB
        writer.Write((byte)0x02);
        writer.Write((ushort)0);
        writer.Write(0x00002400); // CALG_RSA_SIGN
        writer.Write(0x32415352); // "RSA2"
        writer.Write(key.Modulus!.Length * 8);
        writer.Write(BitConverter.ToInt32([.. LittleEndian(key.Exponent!), .. new byte[4 - key.Exponent!.Length]]));
        foreach (var part in new[] { key.Modulus, key.P!, key.Q!, key.DP!, key.DQ!, key.InverseQ!, key.D! })
        {
            writer.Write(LittleEndian(part));
        }

        writer.Flush();
        return blob.ToArray();
    }

    /// <summary>An executable in <c>MemoryContractsAccessors=Assembly</c> with the generator, the decision graph, <paramref name="properties"/> and <paramref name="program"/> as Program.cs.</summary>
    private static ConsumerProject DecisionGraphProject(string properties, string program) =>
        new ConsumerProject($"<OutputType>Exe</OutputType><MemoryContractsAccessors>Assembly</MemoryContractsAccessors>{properties}", withGenerator: true)
            .AddExample("decision-graph.yaml")
            .Write("Program.cs", program);

    private static (ConsumerProject Project, string Run, string[] Warnings) Build(string accessors)
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
        // Each warning as "Program.cs(line,column): warning ...", without the project's temporary path around it.
        var warnings = output.Split('\n')
            .Where(line => line.Contains(": warning ", StringComparison.Ordinal))
            .Select(line => line[line.IndexOf("Program.cs", StringComparison.Ordinal)..line.LastIndexOf(" [", StringComparison.Ordinal)])
            .Distinct()
            .ToArray();
        return (project, run, warnings);
    }

    private static string[] TypeNames(string assembly)
    {
        using var reader = new PEReader(File.OpenRead(assembly));
        var metadata = reader.GetMetadataReader();
        return metadata.TypeDefinitions.Select(type => metadata.GetString(metadata.GetTypeDefinition(type).Name)).ToArray();
    }

    /// <summary>
    /// Asserts that the source mode's documentation of the members under <paramref name="prefix"/> (in the project's XML
    /// file) is the assembly's, member by member, for more than <paramref name="atLeast"/> members; returns the latter.
    /// </summary>
    private static Dictionary<string, string> SameDocumentation(ConsumerProject source, ConsumerProject assembly, string prefix, int atLeast)
    {
        var expected = Documentation(Path.Combine(source.Output, "Consumer.xml"), prefix);
        var actual = Documentation(Path.Combine(assembly.Output, "Consumer.MemoryFixtures.xml"), prefix);
        Assert.True(expected.Count > atLeast, $"only {expected.Count} documented members under {prefix}");
        Assert.Equal(expected, actual);
        return actual;
    }

    /// <summary>The summaries of the members under <paramref name="prefix"/> in a documentation file, by documentation id.</summary>
    private static Dictionary<string, string> Documentation(string path, string prefix) =>
        XDocument.Load(path).Descendants("member")
            .Where(member => ((string)member.Attribute("name")!).Substring(2).StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(member => (string)member.Attribute("name")!, member => member.Element("summary")!.Value);
}
