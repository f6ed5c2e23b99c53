using System.Globalization;
using System.Text;
using static MemoryContracts.Build.Benchmarks.Dotnet;

namespace MemoryContracts.Build.Benchmarks;

/// <summary>What a benchmark project holds besides its 20 C# files.</summary>
internal enum ProjectKind
{
    /// <summary>Neither package nor fixture: the baseline.</summary>
    Without,

    /// <summary>Both packages and the 50 fixtures, as a user writes them.</summary>
    With,

    /// <summary>As <see cref="With"/>, with <c>MemoryContractsAccessors=Assembly</c>: the build writes the accessors as metadata.</summary>
    WithAccessorAssembly,

    /// <summary>As <see cref="With"/>, every fixture with <c>GenerateAccessors="false"</c>: validation, packing and vocabularies only.</summary>
    NoAccessors,

    /// <summary>As <see cref="NoAccessors"/>, plus a reference to the same accessors compiled beforehand into an assembly of their own.</summary>
    Prebuilt,
}

/// <summary>
/// The benchmark's projects: 20 C# files, and with MemoryContracts 50 memory fixtures (40 graphs of 100 nodes and 99
/// edges, 10 selections over them), restored from a feed of freshly packed packages in a packages folder of their own.
/// </summary>
internal sealed class BenchmarkProjects
{
    private BenchmarkProjects(string work, string feed, string version)
    {
        Work = work;
        Feed = feed;
        Version = version;
    }

    /// <summary>The folder everything is created in.</summary>
    public string Work { get; }

    private string Feed { get; }

    private string Version { get; }

    /// <summary>Packs MemoryContracts.Build and MemoryContracts.Generators from <paramref name="root"/> with a fresh version into a new work folder.</summary>
    public static BenchmarkProjects Pack(string root)
    {
        var work = Directory.CreateTempSubdirectory("mc-build-bench-").FullName;
        var feed = Path.Combine(work, "feed");
        var version = "0.1.0-bench." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        foreach (var project in new[] { "MemoryContracts.Generators", "MemoryContracts.Build" })
        {
            Run(root, "pack", Path.Combine("src", project, project + ".csproj"), "-c", "Release", "-o", feed, "-p:Version=" + version);
        }

        return new BenchmarkProjects(work, feed, version);
    }

    /// <summary>Restores a project and builds it once, so the timed builds start from the same state.</summary>
    public static void Prepare(string project)
    {
        Run(project, "restore");
        Run(project, "build", "--no-restore", "-nodeReuse:false");
    }

    /// <summary>Times a full build: <c>bin/</c> and <c>obj/Debug/</c> deleted first; returns seconds.</summary>
    public static double TimeFullBuild(string project)
    {
        DeleteBuildOutput(project);
        return TimeBuild(project);
    }

    /// <summary>Times a build as the project stands (a no-change build after a full one); returns seconds.</summary>
    public static double TimeBuild(string project) => Time(project, "build", "--no-restore", "-nodeReuse:false");

    /// <summary>Deletes what a full build recreates: <c>bin/</c> and <c>obj/Debug/</c>.</summary>
    private static void DeleteBuildOutput(string project)
    {
        Directory.Delete(Path.Combine(project, "bin"), recursive: true);
        foreach (var folder in Directory.GetDirectories(Path.Combine(project, "obj")).Where(folder => Path.GetFileName(folder) == "Debug"))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Creates a project of <paramref name="kind"/> in <c>Work/name</c>; <paramref name="prebuiltAccessors"/> is the assembly a <see cref="ProjectKind.Prebuilt"/> project references.</summary>
    public string Create(string name, ProjectKind kind, string? prebuiltAccessors = null)
    {
        var directory = Path.Combine(Work, name);
        Directory.CreateDirectory(Path.Combine(directory, "memory"));
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(Work, "packages")}" /></config>
              <packageSources><clear /><add key="feed" value="{Feed}" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
            </configuration>
            """);
        var references = kind switch
        {
            ProjectKind.Without => string.Empty,
            _ => $"""
              <PackageReference Include="MemoryContracts.Build" Version="{Version}" PrivateAssets="all" />
              <PackageReference Include="MemoryContracts.Generators" Version="{Version}" PrivateAssets="all" />
              <MemoryFixture Include="memory/**/*.yaml"{(kind is ProjectKind.With or ProjectKind.WithAccessorAssembly ? string.Empty : " GenerateAccessors=\"false\"")} />
              """,
        };
        var properties = kind == ProjectKind.WithAccessorAssembly ? "<MemoryContractsAccessors>Assembly</MemoryContractsAccessors>" : string.Empty;
        if (kind == ProjectKind.Prebuilt)
        {
            references += $"""<Reference Include="{prebuiltAccessors}" />""";
        }

        File.WriteAllText(Path.Combine(directory, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable>{properties}</PropertyGroup>
              <ItemGroup>{references}</ItemGroup>
            </Project>
            """);
        for (var i = 0; i < 20; i++)
        {
            File.WriteAllText(Path.Combine(directory, $"Code{i}.cs"), $"namespace App; public static class Code{i} {{ public static int Value => {i}; }}\n");
        }

        if (kind != ProjectKind.Without)
        {
            WriteFixtures(Path.Combine(directory, "memory"));
        }

        return directory;
    }

    private static void WriteFixtures(string directory)
    {
        for (var g = 0; g < 40; g++)
        {
            var text = new StringBuilder($"schema_version: markitect.memory.graph.v1\nid: graph-{g}\nnodes:\n");
            for (var n = 0; n < 100; n++)
            {
                text.Append(CultureInfo.InvariantCulture, $"  - {{id: n{n}, kind: {(n % 2 == 0 ? "decision" : "claim")}, title: Memory {n} of graph {g}, text: Something worth remembering about part {n}.}}\n");
            }

            text.Append("edges:\n");
            for (var n = 0; n + 1 < 100; n++)
            {
                text.Append(CultureInfo.InvariantCulture, $"  - {{id: e{n}, kind: supports, source: n{n}, target: n{n + 1}}}\n");
            }

            File.WriteAllText(Path.Combine(directory, $"graph-{g}.yaml"), text.ToString());
        }

        for (var s = 0; s < 10; s++)
        {
            File.WriteAllText(Path.Combine(directory, $"selection-{s}.yaml"), $"schema_version: markitect.memory.selection.v1\nid: package-{s}\ngraph: graph-{s}.yaml\nselect: {{nodes: [n0, n1, n2, n3, n4]}}\n");
        }
    }
}
