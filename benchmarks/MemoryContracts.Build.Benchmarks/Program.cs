using System.Diagnostics;
using System.Globalization;
using System.Text;

// Usage: dotnet run -c Release --project benchmarks/MemoryContracts.Build.Benchmarks -- <repo-root> [runs]
// Packs MemoryContracts.Build and MemoryContracts.Generators with a fresh version, creates two identical projects,
// one with 50 memory fixtures and the packages, one without, and times full and no-change builds of both,
// alternating, with real dotnet processes.
//        dotnet run -c Release --project benchmarks/MemoryContracts.Build.Benchmarks -- <repo-root> --accessor-shapes [runs]
// Times full builds of a console project alone and with 8,000 generated id members of each shape (see AccessorShapes).
using MemoryContracts.Build.Benchmarks;
using static MemoryContracts.Build.Benchmarks.Dotnet;

if (args.Length > 1 && args[1] == "--accessor-shapes")
{
    AccessorShapes.Measure(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3);
    return 0;
}

var root = Path.GetFullPath(args.Length > 0 ? args[0] : ".");
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var work = Directory.CreateTempSubdirectory("mc-build-bench-").FullName;
var feed = Path.Combine(work, "feed");
var version = "0.1.0-bench." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
foreach (var project in new[] { "MemoryContracts.Generators", "MemoryContracts.Build" })
{
    Run(root, "pack", Path.Combine("src", project, project + ".csproj"), "-c", "Release", "-o", feed, "-p:Version=" + version);
}

var with = CreateProject(Path.Combine(work, "with"), withMemory: true);
var without = CreateProject(Path.Combine(work, "without"), withMemory: false);
foreach (var project in new[] { with, without })
{
    Run(project, "restore");
    Run(project, "build", "--no-restore", "-nodeReuse:false");
}

var full = new[] { new List<double>(), new List<double>() };
var incremental = new[] { new List<double>(), new List<double>() };
for (var i = 0; i < runs; i++)
{
    foreach (var (project, index) in new[] { (with, 0), (without, 1) })
    {
        Directory.Delete(Path.Combine(project, "bin"), recursive: true);
        foreach (var folder in Directory.GetDirectories(Path.Combine(project, "obj")).Where(folder => Path.GetFileName(folder) == "Debug"))
        {
            Directory.Delete(folder, recursive: true);
        }

        full[index].Add(Time(project, "build", "--no-restore", "-nodeReuse:false"));
        incremental[index].Add(Time(project, "build", "--no-restore", "-nodeReuse:false"));
    }
}

var withFull = Median(full[0]);
var withoutFull = Median(full[1]);
var withIncremental = Median(incremental[0]);
var withoutIncremental = Median(incremental[1]);
Console.WriteLine($"Runs: {runs} (median), alternating between the projects. Machine: {Environment.ProcessorCount} cores.");
Console.WriteLine();
Console.WriteLine("| build | with MemoryContracts (50 fixtures) | without | ratio |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| full (after deleting bin/ and obj/Debug/) | {0:F2} s | {1:F2} s | {2:F3}x |", withFull, withoutFull, withFull / withoutFull));
Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| no-change incremental | {0:F2} s | {1:F2} s | {2:F3}x |", withIncremental, withoutIncremental, withIncremental / withoutIncremental));
return 0;

string CreateProject(string directory, bool withMemory)
{
    Directory.CreateDirectory(Path.Combine(directory, "memory"));
    File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config><add key="globalPackagesFolder" value="{Path.Combine(work, "packages")}" /></config>
          <packageSources><clear /><add key="feed" value="{feed}" /><add key="nuget.org" value="https://api.nuget.org/v3/index.json" /></packageSources>
        </configuration>
        """);
    var references = withMemory
        ? $"""
          <PackageReference Include="MemoryContracts.Build" Version="{version}" PrivateAssets="all" />
          <PackageReference Include="MemoryContracts.Generators" Version="{version}" PrivateAssets="all" />
          <MemoryFixture Include="memory/**/*.yaml" />
          """
        : string.Empty;
    File.WriteAllText(Path.Combine(directory, "App.csproj"), $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup>
          <ItemGroup>{references}</ItemGroup>
        </Project>
        """);
    for (var i = 0; i < 20; i++)
    {
        File.WriteAllText(Path.Combine(directory, $"Code{i}.cs"), $"namespace App; public static class Code{i} {{ public static int Value => {i}; }}\n");
    }

    if (withMemory)
    {
        // 50 fixtures: 40 graphs of 100 nodes and 10 selections over them.
        for (var g = 0; g < 40; g++)
        {
            var text = new StringBuilder($"schema_version: markitect.memory.graph.v1\nid: graph-{g}\nnodes:\n");
            for (var n = 0; n < 100; n++)
            {
                text.Append($"  - {{id: n{n}, kind: {(n % 2 == 0 ? "decision" : "claim")}, title: Memory {n} of graph {g}, text: Something worth remembering about part {n}.}}\n");
            }

            text.Append("edges:\n");
            for (var n = 0; n + 1 < 100; n++)
            {
                text.Append($"  - {{id: e{n}, kind: supports, source: n{n}, target: n{n + 1}}}\n");
            }

            File.WriteAllText(Path.Combine(directory, "memory", $"graph-{g}.yaml"), text.ToString());
        }

        for (var s = 0; s < 10; s++)
        {
            File.WriteAllText(Path.Combine(directory, "memory", $"selection-{s}.yaml"), $"schema_version: markitect.memory.selection.v1\nid: package-{s}\ngraph: graph-{s}.yaml\nselect: {{nodes: [n0, n1, n2, n3, n4]}}\n");
        }
    }

    return directory;
}
