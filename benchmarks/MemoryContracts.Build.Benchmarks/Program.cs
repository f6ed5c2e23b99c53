using System.Globalization;

// Usage: dotnet run -c Release --project benchmarks/MemoryContracts.Build.Benchmarks -- <repo-root> [runs]
// Packs MemoryContracts.Build and MemoryContracts.Generators with a fresh version, creates two identical projects,
// one with 50 memory fixtures and the packages, one without, and times full and no-change builds of both,
// alternating, with real dotnet processes.
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
var with = projects.Create("with", ProjectKind.With);
var without = projects.Create("without", ProjectKind.Without);
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
        BenchmarkProjects.DeleteBuildOutput(project);
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
