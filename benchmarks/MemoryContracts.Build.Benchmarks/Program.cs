using System.Globalization;

// Usage: dotnet run -c Release --project benchmarks/MemoryContracts.Build.Benchmarks -- <repo-root> [runs]
// Packs MemoryContracts.Build and MemoryContracts.Generators with a fresh version, creates three identical projects,
// two with 50 memory fixtures and the packages (the accessors from the generator, and from the build with
// MemoryContractsAccessors=Assembly), one without, and times full and no-change builds of each, alternating, with
// real dotnet processes.
//        dotnet run -c Release --project benchmarks/MemoryContracts.Build.Benchmarks -- <repo-root> --accessor-shapes [runs]
// Times full builds of a console project alone and with 8,000 generated id members of each shape (see AccessorShapes).
//        dotnet run -c Release --project benchmarks/MemoryContracts.Build.Benchmarks -- <repo-root> --reference-points [runs]
// Times full builds of the project with MemoryContracts against the same project with no accessors, and with the
// accessors compiled beforehand into a referenced assembly (see ReferencePoints).
using MemoryContracts.Build.Benchmarks;
using static MemoryContracts.Build.Benchmarks.Dotnet;

var root = Path.GetFullPath(args.Length > 0 ? args[0] : ".");
int RunsAt(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
switch (args.Length > 1 ? args[1] : null)
{
    case "--accessor-shapes":
        AccessorShapes.Measure(RunsAt(2, 3));
        return 0;
    case "--reference-points":
        ReferencePoints.Measure(root, RunsAt(2, 5));
        return 0;
}

var runs = RunsAt(1, 5);
var projects = BenchmarkProjects.Pack(root);
var variants = new[]
{
    ("with MemoryContracts (50 fixtures)", projects.Create("with", ProjectKind.With)),
    ("with MemoryContracts, `MemoryContractsAccessors=Assembly`", projects.Create("with-assembly", ProjectKind.WithAccessorAssembly)),
    ("without", projects.Create("without", ProjectKind.Without)),
};
foreach (var (_, project) in variants)
{
    BenchmarkProjects.Prepare(project);
}

var full = variants.Select(_ => new List<double>()).ToArray();
var incremental = variants.Select(_ => new List<double>()).ToArray();
for (var i = 0; i < runs; i++)
{
    for (var index = 0; index < variants.Length; index++)
    {
        var project = variants[index].Item2;
        full[index].Add(BenchmarkProjects.TimeFullBuild(project));
        incremental[index].Add(BenchmarkProjects.TimeBuild(project));
    }
}

var withoutFull = Median(full[^1]);
var withoutIncremental = Median(incremental[^1]);
Console.WriteLine($"Runs: {runs} (median), alternating between the projects. Machine: {Environment.ProcessorCount} cores.");
Console.WriteLine();
Console.WriteLine("| project | full (after deleting bin/ and obj/Debug/) | ratio | no-change incremental | ratio |");
Console.WriteLine("|---|---:|---:|---:|---:|");
for (var index = 0; index < variants.Length; index++)
{
    var (fullMedian, incrementalMedian) = (Median(full[index]), Median(incremental[index]));
    Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F2} s | {2:F3}x | {3:F2} s | {4:F3}x |", variants[index].Item1, fullMedian, fullMedian / withoutFull, incrementalMedian, incrementalMedian / withoutIncremental));
}

return 0;
