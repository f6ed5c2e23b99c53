using MemoryContracts.Model;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Postgres;

namespace MemoryContracts.Postgres.Benchmarks;

/// <summary>What every PostgreSQL benchmark appends, and the key the ledger signs it with.</summary>
internal static class BenchmarkRecords
{
    /// <summary>The integrity key ring of the benchmark ledgers.</summary>
    public static IntegrityKeys Keys { get; } = new("v1", new Dictionary<string, byte[]> { ["v1"] = "benchmark-key-0123456789abcdef"u8.ToArray() });

    /// <summary>An update of one of 10,000 observation nodes, as event <c>e-{index}</c>.</summary>
    public static MemoryRecord Update(int index)
    {
        var node = Math.Abs(index) % 10_000;
        return new MemoryRecord(0, "2026-11-21T10:00:00Z", new GraphEvent($"e-{index}", "updated", "2026-11-21T10:00:00Z") { Nodes = [$"n-{node}"] }, new GraphChanges { PutNodes = [new GraphNode($"n-{node}", "observation", $"observation {node}") { Text = $"value {index}" }] });
    }
}
