using Xunit;

namespace MemoryContracts.Build.Tests;

/// <summary>Runs alone: it packs projects whose outputs the other build tests use.</summary>
[CollectionDefinition(nameof(PackingCollection), DisableParallelization = true)]
public sealed class PackingCollection
{
}

/// <summary>
/// A consumer that knows nothing of this repository: it restores MemoryContracts.Build and
/// MemoryContracts.Generators from a folder feed, with a fresh version and an isolated packages folder, so no
/// cached package can stand in for the one just built.
/// </summary>
[Collection(nameof(PackingCollection))]
public sealed class PackageConsumerTests
{
    [Fact]
    public void Packed_packages_validate_pack_and_generate_in_a_plain_consumer()
    {
        var work = TempFolders.Create("packages");
        var feed = Path.Combine(work, "feed");
        var version = "0.1.0-e2e." + Guid.NewGuid().ToString("N").Substring(0, 8);
        foreach (var project in new[] { "MemoryContracts.Generators", "MemoryContracts.Build" })
        {
            var (packExit, packOutput) = ConsumerProject.RunIn(ConsumerProject.RepositoryRoot, "pack", Path.Combine("src", project, project + ".csproj"), "-c", "Release", "-o", feed, "-p:Version=" + version);
            Assert.True(packExit == 0, packOutput);
        }

        using (var build = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed, $"MemoryContracts.Build.{version}.nupkg")))
        {
            // The schemas ship beside build/, so MemoryContractsSchemaExportPath works from the package too (issue 18, finding 7).
            var schemas = Directory.GetFiles(Path.Combine(ConsumerProject.RepositoryRoot, "schemas"), "*.schema.json").Select(path => "schemas/" + Path.GetFileName(path)).Order(StringComparer.Ordinal);
            Assert.Equal(schemas, build.Entries.Select(entry => entry.FullName).Where(name => name.StartsWith("schemas/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

            // The task folders carry what validation needs and nothing else: the NJsonSchema reference engine and
            // Newtonsoft.Json live in the optional MemoryContracts.Reference package (issue 14, issue 16 item 4).
            foreach (var framework in new[] { "net472", "net8.0" })
            {
                var assemblies = build.Entries.Select(entry => entry.FullName).Where(name => name.StartsWith($"tasks/{framework}/", StringComparison.Ordinal) && name.EndsWith(".dll", StringComparison.Ordinal)).ToArray();
                Assert.Contains($"tasks/{framework}/MemoryContracts.dll", assemblies);
                Assert.DoesNotContain(assemblies, name => name.Contains("NJsonSchema", StringComparison.Ordinal) || name.Contains("Newtonsoft", StringComparison.Ordinal) || name.Contains("Namotion", StringComparison.Ordinal));
            }

            // Packed on linux-x64: the same assemblies compiled ahead of time (ReadyToRun) for the .NET this SDK runs on.
            var readyToRun = build.Entries.Where(entry => entry.FullName.StartsWith($"tasks/{ReadyToRunFolder}/", StringComparison.Ordinal)).ToArray();
            Assert.Equal(
                [$"tasks/{ReadyToRunFolder}/MemoryContracts.Build.deps.json", $"tasks/{ReadyToRunFolder}/MemoryContracts.Build.dll", $"tasks/{ReadyToRunFolder}/MemoryContracts.dll", $"tasks/{ReadyToRunFolder}/YamlDotNet.dll"],
                readyToRun.Select(entry => entry.FullName).Order(StringComparer.Ordinal));
            foreach (var assembly in readyToRun.Where(entry => entry.FullName.EndsWith(".dll", StringComparison.Ordinal)))
            {
                using var image = new MemoryStream();
                using (var stream = assembly.Open())
                {
                    stream.CopyTo(image);
                }

                image.Position = 0;
                using var reader = new System.Reflection.PortableExecutable.PEReader(image);
                Assert.True(reader.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{assembly.FullName} is not a ReadyToRun image");
            }
        }

        var app = Path.Combine(work, "app");
        Directory.CreateDirectory(Path.Combine(app, "memory"));
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(work, "packages")}" /></config>
              <packageSources><clear /><add key="feed" value="{feed}" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MemoryContracts.Build" Version="{version}" PrivateAssets="all" />
                <PackageReference Include="MemoryContracts.Generators" Version="{version}" PrivateAssets="all" />
                <MemoryFixture Include="memory/**/*.yaml" />
              </ItemGroup>
              <PropertyGroup>
                <MemoryContractsSchemaExportPath>$(MSBuildProjectDirectory)/.schemas/</MemoryContractsSchemaExportPath>
              </PropertyGroup>
            </Project>
            """);
        // Program.cs as 'dotnet new console' writes it (top-level statements, implicit usings): no using line needed (issue 18, finding 3).
        File.WriteAllText(Path.Combine(app, "Program.cs"), "Console.WriteLine($\"{MemoryFixtures.Decisions.Nodes.KeepCompilerBoundary} {NodeKind.Decision.ToWireName()} {SchemaVersions.GraphV1}\");\n");

        var red = ConsumerProject.Example("decision-graph.yaml").Replace("target: validate-in-build}", "target: missing-node}");
        File.WriteAllText(Path.Combine(app, "memory", "decisions.yaml"), red);
        var (redExit, redOutput) = ConsumerProject.RunIn(app, "build", "App.csproj", "-nodeReuse:false");
        Assert.NotEqual(0, redExit);
        Assert.Contains("memory/decisions.yaml(94,100,94,112): error MC2005: edge 'question-led-to-build-validation' targets node 'missing-node', which the graph does not define", ConsumerProject.Diagnostics(redOutput));
        Assert.Single(ConsumerProject.Diagnostics(redOutput));

        File.WriteAllText(Path.Combine(app, "memory", "decisions.yaml"), ConsumerProject.Example("decision-graph.yaml"));
        File.WriteAllText(Path.Combine(app, "memory", "selection.yaml"), "schema_version: markitect.memory.selection.v1\nid: boundary\ngraph: decisions.yaml\nselect: {nodes: [keep-compiler-boundary]}\n");
        var (greenExit, greenOutput) = ConsumerProject.RunIn(app, "build", "App.csproj", "-nodeReuse:false");
        Assert.True(greenExit == 0, greenOutput);
        Assert.True(File.Exists(Path.Combine(app, "bin", "Debug", "net10.0", "memory-context", "boundary.context.json")), greenOutput);
        Assert.True(File.Exists(Path.Combine(app, ".schemas", "markitect.memory.graph.v1.schema.json")), greenOutput);
        var (runExit, runOutput) = ConsumerProject.RunIn(app, Path.Combine("bin", "Debug", "net10.0", "App.dll"));
        Assert.True(runExit == 0, runOutput);
        Assert.Equal("keep-compiler-boundary decision markitect.memory.graph.v1", runOutput.Trim());

        // Those builds ran the ReadyToRun task: dotnet build's MSBuild picks its folder.
        var (propertyExit, taskAssembly) = ConsumerProject.RunIn(app, "msbuild", "App.csproj", "-getProperty:MemoryContractsTaskAssembly");
        Assert.True(propertyExit == 0, taskAssembly);
        Assert.EndsWith($"/tasks/{ReadyToRunFolder}/MemoryContracts.Build.dll", taskAssembly.Trim(), StringComparison.Ordinal);
    }

    /// <summary>The task folder compiled ahead of time for this machine's .NET (the tests run on linux-x64).</summary>
    private static string ReadyToRunFolder => $"net{Environment.Version.Major}.0-{System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}";
}

/// <summary>
/// Issue 18, findings 2 and 3: docs/build-integration.md's "From a project of your own" runs as written. Its sh
/// blocks run in order in one bash, in a fresh home folder with its own NuGet cache, the repository standing in for
/// the page's clone; the last block's output must be the text block that follows it.
/// </summary>
[Collection(nameof(PackingCollection))]
public sealed class OutsideProjectPageTests
{
    [Fact]
    public async Task The_page_for_a_project_of_your_own_runs_as_written()
    {
        var page = File.ReadAllText(Path.Combine(ConsumerProject.RepositoryRoot, "docs", "build-integration.md"));
        var section = page[page.IndexOf("## From a project of your own", StringComparison.Ordinal)..page.IndexOf("## Walk-through", StringComparison.Ordinal)];
        var blocks = System.Text.RegularExpressions.Regex.Matches(section, "```(sh|text)\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(match => (Kind: match.Groups[1].Value, Text: match.Groups[2].Value)).ToArray();
        var shell = blocks.Where(block => block.Kind == "sh").Select(block => block.Text).ToArray();
        Assert.Equal(3, shell.Length);
        Assert.Equal("text", blocks[^1].Kind);

        var home = TempFolders.Create("outside");
        var script = new System.Text.StringBuilder("set -euo pipefail\n");
        for (var index = 0; index < shell.Length; index++)
        {
            // Packing in the clone uses the machine's NuGet folder (so the repository's own restore stays as it is, while
            // other test assemblies use its build output); the consumer gets a folder of its own, so no cached package
            // of the page's version can stand in for the one just packed.
            script.Append(index == 0 ? $"export NUGET_PACKAGES='{ConsumerProject.GlobalPackagesFolder}'\n" : $"export NUGET_PACKAGES='{Path.Combine(home, "nuget-packages")}'\n");
            // Each block's output goes to its own file; braces keep the shell (and its folder) between blocks.
            script.Append("{\n").Append(shell[index].Replace("~/src/memorycontracts", ConsumerProject.RepositoryRoot, StringComparison.Ordinal)).Append($"}} > {home}/block-{index}.out 2>&1\n");
        }

        var (exitCode, stdout, stderr) = await ConsumerProject.RunBashAsync(script.ToString(), home);
        var outputs = Enumerable.Range(0, shell.Length).Select(index => Path.Combine(home, $"block-{index}.out")).Where(File.Exists).Select(File.ReadAllText).ToArray();
        Assert.True(exitCode == 0, $"the page's commands failed ({exitCode}): {stderr}{stdout}\n{string.Join("\n----\n", outputs)}");

        var lastOutput = outputs[^1].Split('\n');
        Assert.Equal(blocks[^1].Text.TrimEnd('\n'), lastOutput.Where(line => line.Length > 0).Last());
        Assert.DoesNotMatch(@"warning [A-Z]+\d+", outputs[^1]);
        Assert.Contains("0 Warning(s)", outputs[^1], StringComparison.Ordinal);
    }
}

/// <summary>
/// Issue 18, docs tested as code: every C# block of README.md and docs/ compiles, page by page (a page's blocks in
/// order, as one method, their using lines first), in a project set up as the pages say: the runtime libraries
/// referenced, the generator reading the fixtures memory/decisions.yaml and memory/decisions-selection.yaml.
/// A block that is no code to write says so on the line before it (<c>&lt;!-- docs-test: skip: why --&gt;</c>).
/// </summary>
public sealed partial class DocsCSharpTests
{
    [Fact]
    public void Every_csharp_block_of_the_docs_compiles()
    {
        var root = ConsumerProject.RepositoryRoot;
        var pages = new[] { "README.md" }.Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal).Select(path => Path.GetRelativePath(root, path)));
        var code = new System.Text.StringBuilder();
        var usings = new SortedSet<string>(StringComparer.Ordinal) { "using System;", "using System.Collections.Generic;", "using System.IO;", "using System.Linq;" };
        var compiled = 0;
        var skipped = 0;
        foreach (var page in pages)
        {
            var text = File.ReadAllText(Path.Combine(root, page)).Replace("\r\n", "\n", StringComparison.Ordinal);
            var statements = new List<string>();
            foreach (System.Text.RegularExpressions.Match block in Fence().Matches(text))
            {
                var before = text[..block.Index].TrimEnd();
                if (before[(before.LastIndexOf('\n') + 1)..].Contains("docs-test: skip:", StringComparison.Ordinal))
                {
                    skipped++;
                    continue;
                }

                compiled++;
                var indent = block.Groups["indent"].Value.Length;
                foreach (var line in block.Groups["body"].Value.TrimEnd('\n').Split('\n').Select(line => line.Length >= indent ? line[indent..] : line.TrimStart()))
                {
                    if (line.StartsWith("using ", StringComparison.Ordinal) && !line.StartsWith("using var ", StringComparison.Ordinal))
                    {
                        usings.Add(line.Trim());
                    }
                    else
                    {
                        statements.Add(line);
                    }
                }
            }

            if (statements.Count > 0)
            {
                var name = "Page_" + System.Text.RegularExpressions.Regex.Replace(page, "[^A-Za-z0-9]", "_");
                var signature = statements.Any(line => line.Contains("await ", StringComparison.Ordinal)) ? "async System.Threading.Tasks.Task" : "void";
                code.Append($"internal static class {name}\n{{\n#line 1 \"{page}\"\n    public static {signature} Run()\n    {{\n").AppendJoin('\n', statements).Append("\n    }\n}\n");
            }
        }

        var work = TempFolders.Create("docs-csharp");
        Directory.CreateDirectory(Path.Combine(work, "memory"));
        File.Copy(Path.Combine(root, "examples", "memory", "decision-graph.yaml"), Path.Combine(work, "memory", "decisions.yaml"));
        File.WriteAllText(Path.Combine(work, "memory", "decisions-selection.yaml"), "schema_version: markitect.memory.selection.v1\nid: boundary\ngraph: decisions.yaml\nselect: {nodes: [keep-compiler-boundary]}\n");
        File.WriteAllText(Path.Combine(work, "Docs.cs"), string.Join('\n', usings) + "\n\n" + code);
        File.WriteAllText(Path.Combine(work, "Docs.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{root}/src/MemoryContracts.Generators/build/MemoryContracts.Generators.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <RootNamespace>Docs</RootNamespace>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <NoWarn>$(NoWarn);CS0168;CS0219;CS8321</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{root}/src/MemoryContracts.Runtime.Postgres/MemoryContracts.Runtime.Postgres.csproj" />
                <ProjectReference Include="{root}/src/MemoryContracts.Agents/MemoryContracts.Agents.csproj" />
                <PackageReference Include="Microsoft.Agents.AI" Version="{ConsumerProject.PackageVersion("Microsoft.Agents.AI")}" />
                <ProjectReference Include="{root}/src/MemoryContracts.Generators/MemoryContracts.Generators.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                <Analyzer Include="{ConsumerProject.YamlDotNetAnalyzer}" />
                <MemoryFixture Include="memory/*.yaml" />
              </ItemGroup>
            </Project>
            """);
        var (exitCode, output) = ConsumerProject.RunIn(work, "build", "Docs.csproj", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false");
        Assert.True(exitCode == 0, string.Join('\n', output.Split('\n').Where(line => line.Contains("error", StringComparison.Ordinal)).Distinct()) + "\n" + File.ReadAllText(Path.Combine(work, "Docs.cs")));
        Assert.True(compiled >= 8, $"only {compiled} C# blocks compiled ({skipped} skipped)");
        Directory.Delete(work, recursive: true);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<indent> *)```csharp\n(?<body>.*?)^\k<indent>```", System.Text.RegularExpressions.RegexOptions.Multiline | System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex Fence();
}

/// <summary>
/// Issue 18, finding 1: docs/cli.md's install block runs as written from the repository root (a fresh home folder,
/// its own NuGet cache), and afterwards <c>dotnet memory</c> is the installed tool. Issue 17, target 2: on linux-x64
/// that tool is the native (ahead-of-time compiled) one, and it prints the same bytes with the same exit codes as the
/// framework-dependent build through one scenario over every command (native-parity.sh).
/// </summary>
[Collection(nameof(PackingCollection))]
public sealed class CliInstallPageTests
{
    [Fact]
    public async Task The_install_block_of_cli_md_installs_the_native_dotnet_memory_which_prints_what_the_framework_dependent_one_prints()
    {
        var page = File.ReadAllText(Path.Combine(ConsumerProject.RepositoryRoot, "docs", "cli.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var section = page[page.IndexOf("## Install", StringComparison.Ordinal)..page.IndexOf("## Commands", StringComparison.Ordinal)];
        var block = System.Text.RegularExpressions.Regex.Match(section, "```sh\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("dotnet tool install -g MemoryContracts.Tool", block, StringComparison.Ordinal);

        var home = TempFolders.Create("install");
        // The machine's NuGet folder: the repository's restore stays as it is while other test assemblies use its output.
        var (exitCode, stdout, stderr) = await ConsumerProject.RunBashAsync("set -euo pipefail\n" + block, home, ConsumerProject.RepositoryRoot, ConsumerProject.GlobalPackagesFolder);
        Assert.True(exitCode == 0, stderr + stdout);
        var installed = Path.Combine(home, ".dotnet", "tools", "dotnet-memory");
        Assert.True(File.Exists(installed), stdout);
        Assert.Contains("dotnet memory: contract-first agent memory.", stdout, StringComparison.Ordinal);

        // The native package was chosen: an ELF executable from MemoryContracts.Tool.linux-x64, no dotnet-memory.dll beside it.
        var target = new FileInfo(installed).ResolveLinkTarget(returnFinalTarget: true)!.FullName;
        Assert.Contains("memorycontracts.tool.linux-x64", target, StringComparison.Ordinal);
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(target)[..4]);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(target)!, "dotnet-memory.dll")));

        var native = await Scenario(installed, home);
        var frameworkDependent = await Scenario("dotnet " + Path.Combine(ConsumerProject.RepositoryRoot, "src", "MemoryContracts.Tool", "bin", "Release", "net8.0", "dotnet-memory.dll"), home);
        Assert.Equal(frameworkDependent, native);
        // The scenario reached every part: validation errors, packages, the toolbelt, the store and the MCP server.
        foreach (var expected in new[] { "error MC", "\"ruleId\": \"MC", "flowchart", "digraph", "imported decision-graph", "\"event\": {", "\"code\": \"MC5019\"", "\"serverInfo\":{\"name\":\"memorycontracts\"", "\"name\":\"fs_list\"" })
        {
            Assert.Contains(expected, native, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("MC9001", native, StringComparison.Ordinal);

        // What the native tool cannot do, it refuses as a usage error: the reference engine needs reflection.
        var (referenceExit, _, referenceError) = await ConsumerProject.RunBashAsync($"'{installed}' validate examples/memory/decision-graph.yaml --engine reference", home, ConsumerProject.RepositoryRoot);
        Assert.Equal(2, referenceExit);
        Assert.StartsWith("dotnet-memory: error: 'reference' is not a value of --engine; use one of: compiled", referenceError, StringComparison.Ordinal);
        Directory.Delete(home, recursive: true);
    }

    /// <summary>native-parity.sh, run by one build of the tool in a fresh copy of examples/: everything it printed.</summary>
    private static async Task<string> Scenario(string tool, string home)
    {
        var folder = Path.Combine(home, "scenario-" + Guid.NewGuid().ToString("N")[..8]);
        FolderCopy.Copy(Path.Combine(ConsumerProject.RepositoryRoot, "examples"), Path.Combine(folder, "examples"));
        var script = Path.Combine(ConsumerProject.RepositoryRoot, "tests", "MemoryContracts.Build.Tests", "native-parity.sh");
        var (exitCode, output, error) = await ConsumerProject.RunBashAsync($"bash '{script}' \"{tool}\"", home, folder);
        Assert.True(exitCode == 0, error + output);
        return output.Replace(folder, "<folder>", StringComparison.Ordinal);
    }
}
