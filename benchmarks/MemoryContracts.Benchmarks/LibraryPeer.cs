using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Json.Schema;
using MemoryContracts.Documents;
using MemoryContracts.Schemas;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// The compiled validator against JsonSchema.Net (the .NET validator a user would otherwise pick), in one process, on
/// the same bytes and the same schema, schema only for both: each run parses the document from bytes in memory and
/// validates it (formats asserted on both sides). The two alternate, run by run, and each reports its median.
/// </summary>
internal static class LibraryPeer
{
    public static string Measure(string schemaPath, IEnumerable<(string File, int Nodes)> documents, int runs)
    {
        var ours = JsonSchemaFile.Load(schemaPath).Schema ?? throw new InvalidOperationException($"{schemaPath} does not load");
        using var schemaDocument = JsonDocument.Parse(File.ReadAllBytes(schemaPath));
        var peer = JsonSchema.Build(schemaDocument.RootElement, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri("https://markitect.dev/schemas/bench/" + Path.GetFileName(schemaPath)));
        var options = new EvaluationOptions { OutputFormat = OutputFormat.Flag, RequireFormatValidation = true };

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"In process, schema only, parse + validate from bytes in memory, median of {runs} alternating runs after warm-up (JsonSchema.Net 8.0.5, Flag output, formats required):");
        report.AppendLine();
        report.AppendLine("| graph | nodes | ours | JsonSchema.Net | ours faster by |");
        report.AppendLine("|---|---|---|---|---|");
        foreach (var (file, nodes) in documents)
        {
            var bytes = File.ReadAllBytes(file);
            bool Ours()
            {
                var loaded = DocumentLoader.Load(file, bytes, DocumentFormat.Json);
                return loaded.Document is not null && ours.Validate(loaded.Document.Root).Count == 0;
            }

            bool Peer()
            {
                using var document = JsonDocument.Parse(bytes);
                return peer.Evaluate(document.RootElement, options).IsValid;
            }

            var warmups = Math.Max(2, 20_000 / nodes);
            for (var i = 0; i < warmups; i++)
            {
                Require(Ours(), "ours", file);
                Require(Peer(), "JsonSchema.Net", file);
            }

            var count = Math.Max(runs, 50_000 / nodes);
            var oursTimes = new List<double>();
            var peerTimes = new List<double>();
            for (var i = 0; i < count; i++)
            {
                oursTimes.Add(Time(Ours));
                peerTimes.Add(Time(Peer));
            }

            var (oursMedian, peerMedian) = (Shared.Measure.Median(oursTimes), Shared.Measure.Median(peerTimes));
            report.AppendLine(string.Format(CultureInfo.InvariantCulture, "| {0} | {1:N0} | {2:F1} ms | {3:F1} ms | **{4:F1}x** |", Path.GetFileName(file), nodes, oursMedian, peerMedian, peerMedian / oursMedian));
        }

        return report.ToString();
    }

    private static void Require(bool valid, string who, string file)
    {
        if (!valid)
        {
            throw new InvalidOperationException($"{who} finds {file} invalid; the comparison needs a valid document");
        }
    }

    private static double Time(Func<bool> run)
    {
        var started = Stopwatch.GetTimestamp();
        run();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
