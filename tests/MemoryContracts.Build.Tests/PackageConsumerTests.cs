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
        var work = Directory.CreateTempSubdirectory("mc-packages-").FullName;
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
    }
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

        var home = Directory.CreateTempSubdirectory("mc-outside-").FullName;
        var script = new System.Text.StringBuilder("set -euo pipefail\n");
        for (var index = 0; index < shell.Length; index++)
        {
            // Each block's output goes to its own file; braces keep the shell (and its folder) between blocks.
            script.Append("{\n").Append(shell[index].Replace("~/src/memorycontracts", ConsumerProject.RepositoryRoot, StringComparison.Ordinal)).Append($"}} > {home}/block-{index}.out 2>&1\n");
        }

        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script.ToString());
        start.Environment["HOME"] = home;
        start.Environment["NUGET_PACKAGES"] = Path.Combine(home, "nuget-packages");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        var stdout = await stdoutTask;
        await process.WaitForExitAsync();
        var outputs = Enumerable.Range(0, shell.Length).Select(index => Path.Combine(home, $"block-{index}.out")).Where(File.Exists).Select(File.ReadAllText).ToArray();
        Assert.True(process.ExitCode == 0, $"the page's commands failed ({process.ExitCode}): {stderr}{stdout}\n{string.Join("\n----\n", outputs)}");

        var lastOutput = outputs[^1].Split('\n');
        Assert.Equal(blocks[^1].Text.TrimEnd('\n'), lastOutput.Where(line => line.Length > 0).Last());
        Assert.DoesNotMatch(@"warning [A-Z]+\d+", outputs[^1]);
        Assert.Contains("0 Warning(s)", outputs[^1], StringComparison.Ordinal);
    }
}
