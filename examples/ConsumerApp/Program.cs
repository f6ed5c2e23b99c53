using MemoryContracts;

namespace ConsumerApp;

/// <summary>Uses the typed contracts generated from the schemas and from the fixtures in examples/memory.</summary>
public static class Program
{
    /// <summary>Prints the decision path that pins the contract boundary, by typed id.</summary>
    public static int Main()
    {
        var decisions = MemoryFixtures.DecisionGraph.Nodes.ByKind.Decision;
        Console.WriteLine($"{MemoryFixtures.DecisionGraph.Id} ({SchemaVersions.GraphV1}): {decisions.Count} {NodeKind.Decision.ToWireName()} nodes");
        Console.WriteLine($"boundary: {MemoryFixtures.DecisionGraph.Nodes.KeepCompilerBoundary}");
        Console.WriteLine($"package: {MemoryFixtures.DecisionGraphSelection.Id}.context.json");
        var packages = Path.Combine(AppContext.BaseDirectory, "memory-context");
        var files = Directory.Exists(packages) ? Directory.GetFiles(packages) : [];
        foreach (var package in files.OrderBy(path => path, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {Path.GetFileName(package)}");
        }

        return 0;
    }
}
