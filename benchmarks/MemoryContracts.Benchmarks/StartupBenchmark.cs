using System.Globalization;
using System.Text;
using MemoryContracts.Benchmarks.Shared;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// Issue 17, target 2: the calls a pre-commit hook or an agent makes, one small file each, as whole processes. The
/// native tool and the framework-dependent one against ajv-cli on the same file and schema (schema only), and the
/// toolbelt's read-only calls (no peer), each the median of alternating runs after one warm-up.
/// </summary>
internal static class StartupBenchmark
{
    public static string Run(string root, string native, string frameworkDependent, int runs)
    {
        var ajv = Path.Combine(root, "benchmarks", "peer", "node_modules", ".bin", "ajv");
        var fixture = Path.Combine(root, "examples", "memory", "decision-graph.yaml");
        var schema = Path.Combine(root, "schemas", "markitect.memory.graph.v1.schema.json");
        var memory = Directory.CreateTempSubdirectory("startup-").FullName;
        File.WriteAllText(Path.Combine(memory, "notes.md"), "# Notes\n\n## Rules <!-- anchor: rules v1 -->\n\n- plans need a person\n");
        var readRequest = Path.Combine(memory, "read.json");
        File.WriteAllText(readRequest, "{\"path\": \"notes.md\"}");
        var ledger = Path.Combine(memory, ".ledger");

        string[] peer = [ajv, "validate", "-s", schema, "-d", fixture, "--spec=draft7", "-c", "ajv-formats", "--strict=false"];
        var calls = new (string Name, string[] Arguments, bool HasPeer)[]
        {
            ("validate decision-graph.yaml", ["validate", fixture], true),
            ("graph validate decision-graph.yaml", ["graph", "validate", fixture], true),
            ("fs read (toolbelt)", ["fs", "read", "--root", memory, "-w", ledger, "--request", readRequest], false),
            ("md list_sections (toolbelt)", ["md", "list_sections", "--root", memory, "-w", ledger, "--request", readRequest], false),
        };

        var report = new StringBuilder();
        report.AppendLine(string.Format(CultureInfo.InvariantCulture, "Runs per cell: {0} (median; the commands alternate), after one warm-up run each. Machine: {1} cores, .NET {2}.", runs, Environment.ProcessorCount, Environment.Version));
        report.AppendLine();
        report.AppendLine("| call | native | framework-dependent (JIT) | ajv-cli + js-yaml (schema only) | native / ajv-cli | JIT / ajv-cli | native peak RSS | JIT peak RSS |");
        report.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (name, arguments, hasPeer) in calls)
        {
            List<string[]> commands = [[native, .. arguments], ["dotnet", frameworkDependent, .. arguments]];
            if (hasPeer)
            {
                commands.Add(peer);
            }

            var results = MeasureAlternating(commands, runs);
            var (nativeResult, jitResult) = (results[0], results[1]);
            report.AppendLine(hasPeer
                ? string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F3} s | {2:F3} s | {3:F3} s | **{4:F2}x** | {5:F2}x | {6:F0} MB | {7:F0} MB |", name, nativeResult.Seconds, jitResult.Seconds, results[2].Seconds, nativeResult.Seconds / results[2].Seconds, jitResult.Seconds / results[2].Seconds, nativeResult.PeakKilobytes / 1024.0, jitResult.PeakKilobytes / 1024.0)
                : string.Format(CultureInfo.InvariantCulture, "| {0} | {1:F3} s | {2:F3} s | - | - | - | {3:F0} MB | {4:F0} MB |", name, nativeResult.Seconds, jitResult.Seconds, nativeResult.PeakKilobytes / 1024.0, jitResult.PeakKilobytes / 1024.0));
        }

        Directory.Delete(memory, recursive: true);
        return report.ToString();
    }

    private static (double Seconds, long PeakKilobytes)[] MeasureAlternating(List<string[]> commands, int runs)
    {
        foreach (var command in commands)
        {
            var warmup = ProcessMeasurement.Run(command[0], command[1..]);
            if (warmup.ExitCode != 0)
            {
                throw new InvalidOperationException($"{string.Join(' ', command)} exited with {warmup.ExitCode}");
            }
        }

        var samples = commands.Select(_ => new List<(double Seconds, long PeakKilobytes)>()).ToArray();
        for (var run = 0; run < runs; run++)
        {
            for (var index = 0; index < commands.Count; index++)
            {
                var (seconds, peak, _) = ProcessMeasurement.Run(commands[index][0], commands[index][1..]);
                samples[index].Add((seconds, peak));
            }
        }

        return samples.Select(sample => (Measure.Median(sample.Select(entry => entry.Seconds)), sample.Max(entry => entry.PeakKilobytes))).ToArray();
    }
}
