using System.Globalization;
using static MemoryContracts.Build.Benchmarks.Dotnet;

namespace MemoryContracts.Build.Benchmarks;

/// <summary>
/// How far any change to the typed accessors could take the full build (issue 17, target 4): the benchmark's project
/// with MemoryContracts as users write it, the same with no accessors at all (validation, packing and vocabularies
/// only), and the same with the accessors the generator writes compiled beforehand into an assembly the project
/// references (the cheapest form of accessors a compilation can bind: metadata, no source), each against the project
/// without MemoryContracts, built in full alternately.
/// </summary>
internal static class ReferencePoints
{
    /// <summary>Creates the four projects, builds each in full <paramref name="runs"/> times and prints the medians.</summary>
    public static void Measure(string root, int runs)
    {
        var projects = BenchmarkProjects.Pack(root);
        var with = projects.Create("with", ProjectKind.With);
        var without = projects.Create("without", ProjectKind.Without);
        var noAccessors = projects.Create("no-accessors", ProjectKind.NoAccessors);
        var generated = Path.Combine(projects.Work, "generated");
        Run(with, "build", "-nodeReuse:false", "-p:EmitCompilerGeneratedFiles=true", "-p:CompilerGeneratedFilesOutputPath=" + generated);
        var prebuilt = projects.Create("prebuilt", ProjectKind.Prebuilt, CompileAccessors(Path.Combine(projects.Work, "accessors"), generated));

        // The prebuilt accessors are bound, not only referenced: a switch on two of their constants.
        File.WriteAllText(Path.Combine(prebuilt, "Uses.cs"), "namespace App; public static class Uses { public static string Name(string id) => id switch { Prebuilt.MemoryFixtures.Graph0.Nodes.N0 => \"first\", _ => Prebuilt.MemoryFixtures.Graph3.Edges.E5 }; }\n");
        File.WriteAllText(Path.Combine(without, "Uses.cs"), "namespace App; public static class Uses { public static string Name(string id) => id; }\n");
        var variants = new[] { ("with MemoryContracts (what users build)", with), ("no accessors (`GenerateAccessors=\"false\"`)", noAccessors), ("accessors from a prebuilt assembly", prebuilt), ("without MemoryContracts", without) };
        foreach (var (_, project) in variants)
        {
            BenchmarkProjects.Prepare(project);
        }

        var times = variants.Select(_ => new List<double>()).ToArray();
        for (var run = 0; run < runs; run++)
        {
            for (var i = 0; i < variants.Length; i++)
            {
                times[i].Add(BenchmarkProjects.TimeFullBuild(variants[i].Item2));
            }
        }

        var baseline = Median(times[^1]);
        Console.WriteLine($"Full builds (after deleting bin/ and obj/Debug/), median of {runs}, alternating. Machine: {Environment.ProcessorCount} cores.");
        Console.WriteLine();
        Console.WriteLine("| project | full build | ratio to without |");
        Console.WriteLine("|---|---:|---:|");
        for (var i = 0; i < variants.Length; i++)
        {
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F2} s | {2:F3}x |", variants[i].Item1, Median(times[i]), Median(times[i]) / baseline));
        }
    }

    /// <summary>Compiles the generator's <c>MemoryFixtures</c> files into a public library in namespace <c>Prebuilt</c>; returns the assembly's path.</summary>
    private static string CompileAccessors(string directory, string generated)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "Accessors.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable><AssemblyName>App.MemoryFixtures</AssemblyName><GenerateDocumentationFile>true</GenerateDocumentationFile></PropertyGroup>
            </Project>
            """);
        foreach (var file in Directory.GetFiles(generated, "MemoryFixtures*.g.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file).Replace("internal static", "public static", StringComparison.Ordinal).Replace("namespace App\n", "namespace Prebuilt\n", StringComparison.Ordinal);
            File.WriteAllText(Path.Combine(directory, Path.GetFileName(file)), text);
        }

        Run(directory, "build", "-c", "Release", "-nodeReuse:false");
        return Path.Combine(directory, "bin", "Release", "net10.0", "App.MemoryFixtures.dll");
    }
}
