using System.Globalization;
using MemoryContracts.Output;

namespace MemoryContracts.Benchmarks;

/// <summary>
/// Writes deterministic synthetic graphs: N nodes with every kind of metadata, about 2 edges and 0.5 events per node,
/// in JSON and YAML with the same content.
/// </summary>
internal static class GraphGenerator
{
    private static readonly string[] NodeKinds = ["decision", "claim", "evidence", "constraint", "observation", "concept", "task", "finding"];
    private static readonly string[] EdgeKinds = ["supports", "depends_on", "led_to", "references", "relates_to"];
    private static readonly string[] EventKinds = ["recorded", "updated", "activated", "refreshed"];

    public static (string Json, string Yaml) Write(string directory, int nodes)
    {
        Directory.CreateDirectory(directory);
        var graph = Build(nodes);
        var name = Path.Combine(directory, $"graph-{nodes / 1000}k");
        File.WriteAllText(name + ".json", WireJsonWriter.Write(graph));
        File.WriteAllText(name + ".yaml", WireYamlWriter.Write(graph));
        return (name + ".json", name + ".yaml");
    }

    private static WireObject Build(int count)
    {
        var random = new Random(count);
        var nodes = new List<WireValue>(count);
        for (var i = 0; i < count; i++)
        {
            var area = random.Next(200).ToString(CultureInfo.InvariantCulture);
            nodes.Add(new WireObject()
                .Add("id", NodeId(i))
                .Add("kind", NodeKinds[i % NodeKinds.Length])
                .Add("title", $"Memory {i} about area {area}")
                .Add("text", $"Observed while working on area {area}: the component keeps its contract, the tests cover case {i}, and the owner reviewed the change.")
                .Add("source", new WireObject().Add("path", $"docs/area-{area}.md").Add("start_line", 10 + (i % 50)).Add("end_line", 20 + (i % 50)))
                .Add("provenance", new WireObject().Add("author", "agent-" + (i % 7).ToString(CultureInfo.InvariantCulture)).Add("method", "extracted").Add("recorded_at", Timestamp(i)).Add("confidence", WireValue.From(0.5 + (i % 5) / 10.0)))
                .Add("policy", new WireObject().Add("labels", WireValue.From(["project", "area-" + area])).Add("trust_zone", "project"))
                .Add("lifecycle", new WireObject().Add("state", "active").Add("created_at", Timestamp(i)).Add("updated_at", Timestamp(i + 1))));
        }

        // Two edges per node: to the next node and to a random one further on, so no edge is a self-loop or a repeat.
        var edges = new List<WireValue>(count * 2);
        for (var i = 0; i < count * 2; i++)
        {
            var source = i / 2;
            var target = (source + (i % 2 == 0 ? 1 : 2 + random.Next(count - 2))) % count;
            edges.Add(new WireObject()
                .Add("id", "e" + i.ToString("D7", CultureInfo.InvariantCulture))
                .Add("kind", EdgeKinds[i % EdgeKinds.Length])
                .Add("source", NodeId(source))
                .Add("target", NodeId(target)));
        }

        var events = new List<WireValue>(count / 2);
        for (var i = 0; i < count / 2; i++)
        {
            events.Add(new WireObject()
                .Add("id", "ev" + i.ToString("D7", CultureInfo.InvariantCulture))
                .Add("kind", EventKinds[i % EventKinds.Length])
                .Add("at", Timestamp(i))
                .Add("path", "main")
                .Add("nodes", WireValue.From([NodeId(random.Next(count))])));
        }

        return new WireObject()
            .Add("schema_version", "markitect.memory.graph.v1")
            .Add("id", $"synthetic-{count}")
            .Add("title", $"Synthetic graph of {count} nodes")
            .Add("nodes", new WireArray(nodes))
            .Add("edges", new WireArray(edges))
            .Add("events", new WireArray(events));
    }

    private static string NodeId(int i) => "n" + i.ToString("D7", CultureInfo.InvariantCulture);

    private static string Timestamp(int i) => new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
