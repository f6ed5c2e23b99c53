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
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="MemoryContracts.Build" Version="{version}" PrivateAssets="all" />
                <PackageReference Include="MemoryContracts.Generators" Version="{version}" PrivateAssets="all" />
                <MemoryFixture Include="memory/**/*.yaml" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Uses.cs"), "namespace App; public static class Uses { public static string Boundary => MemoryFixtures.Decisions.Nodes.KeepCompilerBoundary; public static string Kind => MemoryContracts.NodeKind.Decision.ToString(); }\n");

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
    }
}
