using System.Globalization;
using System.Text;
using MemoryContracts.Documents;
using MemoryContracts.Model;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Validation;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// The record check writes an appended record's envelope straight into a document (<see cref="TapeWireWriter"/>)
/// instead of writing JSON and reading it back. Over thousands of generated records, valid and not, the document and
/// every diagnostic must be those the JSON round trip gives. Two things JSON cannot hold are refused (MC1001) where the
/// JSON writer did otherwise: an unpaired surrogate, which it silently replaced with U+FFFD (so a record was stored
/// with other text than the caller gave), and a number that is not finite, which it threw on.
/// </summary>
public sealed class RecordCheckAgreementTests
{
    private const string Name = "/tmp/appended-record.json";

    /// <summary>Whether the record being generated takes only valid values (the first of each choice), so that about half the records are accepted.</summary>
    private static bool s_valid;

    [Fact]
    public void Writing_the_record_into_a_document_gives_what_reading_its_json_gives()
    {
        var random = new Random(20261205);
        var compared = 0;
        var refused = 0;
        var refusedUnusable = 0;
        for (var round = 0; round < 3000; round++)
        {
            s_valid = random.Next(5) < 2;
            var (header, nodes, edges, events) = Record(random, round);
            var (json, jsonDiagnostics, jsonThrew) = ThroughJson(header, nodes, edges, events);
            var writer = new TapeWireWriter(Name, DocumentLimits.Default);
            EnvelopeJson.WriteGraph(writer, header, nodes, edges, events);
            var loaded = writer.ToLoadResult();
            var result = new ContractValidator().Validate(Name, loaded);
            var diagnostics = Describe(result);
            if (jsonThrew is not null || Encoding.UTF8.GetString(json!).Contains("\\uFFFD", StringComparison.Ordinal))
            {
                Assert.Null(loaded.Document);
                Assert.Contains(result.Diagnostics, diagnostic => diagnostic.Code == "MC1001" && diagnostic.Message.StartsWith("not well-formed JSON: ", StringComparison.Ordinal));
                Assert.DoesNotContain(result.Diagnostics, diagnostic => diagnostic.Code is not ("MC1001" or "MC1004"));
                refusedUnusable++;
                continue;
            }

            Assert.True(jsonDiagnostics == diagnostics, $"round {round}:\n{Encoding.UTF8.GetString(json!)}\nJSON:\n{jsonDiagnostics}\ndocument:\n{diagnostics}");
            if (loaded.Document is not null)
            {
                Assert.Equal(Dump(DocumentLoader.Load(Name, json!).Document!.Root), Dump(loaded.Document.Root));
                compared++;
            }

            refused += result.HasErrors ? 1 : 0;
        }

        // Both kinds of record are well represented, so agreement is not agreement on one outcome.
        Assert.True(compared > 1500, $"{compared} documents compared");
        Assert.True(refusedUnusable > 50, $"{refusedUnusable} records with text or numbers JSON cannot hold");
        Assert.InRange(refused, 500, compared - 500);
    }

    [Fact]
    public void A_repeated_attribute_is_reported_at_the_line_the_json_would_have()
    {
        var node = new GraphNode("n", "claim", "t") { Attributes = [new("a", new AttributeValue(DocumentValueKind.String, "x")), new("a", AttributeValue.Number("2"))] };
        var writer = new TapeWireWriter(Name, DocumentLimits.Default);
        EnvelopeJson.WriteGraph(writer, new GraphHeader("g", null, null), [node], [], []);
        var duplicate = Assert.Single(writer.ToLoadResult().Diagnostics);
        Assert.Equal("key 'a' appears twice in the same mapping; the first is at line 10", duplicate.Message);
        Assert.Equal("    \"attributes\": {", Encoding.UTF8.GetString(EnvelopeJson.WriteGraph(new GraphHeader("g", null, null), [node], [], [])).Split('\n')[8].Trim('\r')[2..]);
    }

    private static (byte[]? Json, string Diagnostics, Exception? Threw) ThroughJson(GraphHeader header, GraphNode[] nodes, GraphEdge[] edges, GraphEvent[] events)
    {
        byte[] json;
        try
        {
            json = EnvelopeJson.WriteGraph(header, nodes, edges, events);
        }
        catch (ArgumentException exception)
        {
            return (null, string.Empty, exception);
        }

        return (json, Describe(new ContractValidator().Validate(Name, json)), null);
    }

    /// <summary>
    /// Codes, severities and messages in order, each once: positions differ by design (the document has no text), so
    /// the same problem found at two places of the JSON is one diagnostic of the document, as it is one diagnostic of
    /// the refused record once both are located at the log.
    /// </summary>
    private static string Describe(FixtureResult result) =>
        string.Join("\n", result.Diagnostics.Select(diagnostic => $"{diagnostic.Code} {diagnostic.Severity} {diagnostic.Message}").Distinct().Order(StringComparer.Ordinal));

    private static string Dump(DocumentNode node)
    {
        var text = new StringBuilder();
        Dump(node, text);
        return text.ToString();
    }

    private static void Dump(DocumentNode node, StringBuilder text)
    {
        text.Append(node.Kind).Append(':');
        switch (node.Kind)
        {
            case DocumentValueKind.Mapping:
                text.Append('{');
                foreach (var property in node.EnumerateProperties())
                {
                    text.Append(property.Key.GetString()).Append('=');
                    Dump(property.Value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case DocumentValueKind.Sequence:
                text.Append('[');
                foreach (var item in node.EnumerateItems())
                {
                    Dump(item, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            default:
                text.Append(node.GetString());
                break;
        }
    }

    private static (GraphHeader, GraphNode[], GraphEdge[], GraphEvent[]) Record(Random random, int round)
    {
        var ids = new List<string>();
        var nodes = Enumerable.Range(0, random.Next(0, 4)).Select(_ => Node(random, ids)).ToArray();
        var nodeIds = nodes.Select(node => node.Id).ToArray();
        var edges = Enumerable.Range(0, s_valid && nodes.Length == 0 ? 0 : random.Next(0, 3)).Select(_ => Edge(random, ids, nodeIds)).ToArray();
        var graphEvent = new GraphEvent(Id(random, ids), Pick(random, "recorded", "updated", "activated", "refreshed", "forgotten", "bogus"), Timestamp(random))
        {
            Actor = Maybe(random, () => Text(random)),
            Path = Maybe(random, () => Pick(random, "main", "draft", "bad path", "")),
            Summary = Maybe(random, () => Text(random)),
            Nodes = s_valid ? (nodes.Length > 0 ? Some(random, () => nodes[0].Id) : []) : Some(random, () => PickAny(random, [.. ids, "missing"])),
            Edges = s_valid ? [] : Some(random, () => PickAny(random, [.. ids, "missing"])),
            Attributes = Attributes(random),
        };
        return (new GraphHeader(round % 97 == 0 && !s_valid ? "" : "g", null, null), nodes, edges, [graphEvent]);
    }

    private static GraphNode Node(Random random, List<string> ids) =>
        new(Id(random, ids), Pick(random, "claim", "decision", "evidence", "observation", "assumpton", ""), Text(random))
        {
            Text = Maybe(random, () => Text(random)),
            Source = random.Next(4) == 0 ? new SourceSpan(Pick(random, "docs/a.md", "", "../x"), Number(random), Number(random), Number(random), Number(random)) : null,
            Provenance = random.Next(3) == 0 ? new Provenance
            {
                Author = Maybe(random, () => Text(random)),
                Method = Maybe(random, () => Pick(random, "manual", "extracted", "derived", "imported", "guessed")),
                RecordedAt = Maybe(random, () => Timestamp(random)),
                DerivedFrom = Some(random, () => PickAny(random, [.. ids, s_valid ? ids[0] : "elsewhere"])),
                Confidence = random.Next(2) == 0 ? Pick(random, 0.0, 1.0, 0.5, -0.0, 2.0, -1.0, 1e20, 0.1 + 0.2, 1e-7, double.NaN, double.PositiveInfinity) : null,
            } : null,
            Policy = random.Next(3) == 0 ? new MemoryPolicy
            {
                Labels = Some(random, () => Pick(random, "pii", "public", "secret", "Not A Label", "")),
                TrustZone = Maybe(random, () => Pick(random, "project", "team", "public", "bogus")),
                Reauthorize = Maybe(random, () => Pick(random, "on_export", "never", "sometimes")),
                External = random.Next(5) == 0 ? [new ExternalPolicyReference { DecisionId = Maybe(random, () => Text(random)), DecidedAt = Maybe(random, () => Timestamp(random)) }] : [],
            } : null,
            Lifecycle = random.Next(3) == 0 ? new MemoryLifecycle
            {
                State = Maybe(random, () => Pick(random, "active", "stale", "archived", "forgotten", "zombie")),
                CreatedAt = Maybe(random, () => Timestamp(random)),
                UpdatedAt = Maybe(random, () => Timestamp(random)),
                ReviewedAt = Maybe(random, () => Timestamp(random)),
                StaleAfterDays = Number(random),
            } : null,
            Attributes = Attributes(random),
        };

    private static GraphEdge Edge(Random random, List<string> ids, string[] nodeIds)
    {
        var ends = nodeIds.Length > 0 ? nodeIds : ["n"];
        return new GraphEdge(Id(random, ids), Pick(random, "supports", "depends_on", "contradicts", "likes"), PickAny(random, ends), Pick(random, [.. ends, "missing"]))
        {
            Text = Maybe(random, () => Text(random)),
            Provenance = random.Next(4) == 0 ? new Provenance { Method = "manual", Confidence = Pick(random, 0.25, 3.0) } : null,
            Attributes = Attributes(random),
        };
    }

    private static KeyValuePair<string, AttributeValue>[] Attributes(Random random) =>
        Enumerable.Range(0, random.Next(5) == 0 ? random.Next(1, s_valid ? 2 : 4) : 0).Select(_ => new KeyValuePair<string, AttributeValue>(
            Pick(random, "owner", "score", "flag", "Bad Name", "ünï", "x\0y"),
            random.Next(3) switch
            {
                0 => new AttributeValue(DocumentValueKind.String, Text(random)),
                1 => AttributeValue.Number(Pick(random, "0", "-0", "12", "1.5", "1e5", "-2.5E-3", "123456789012345678901234567890")),
                _ => new AttributeValue(DocumentValueKind.Boolean, Pick(random, "true", "false")),
            })).ToArray();

    private static string Id(Random random, List<string> ids)
    {
        var id = (s_valid ? 30 : random.Next(30)) switch
        {
            0 => "",
            1 => "has space",
            2 => ids.Count > 0 ? ids[random.Next(ids.Count)] : "dup",
            3 => "ñode-" + random.Next(100),
            _ => "id-" + random.Next(1_000_000).ToString(CultureInfo.InvariantCulture),
        };
        ids.Add(id);
        return id;
    }

    private static string Text(Random random) => (s_valid ? 40 : random.Next(40)) switch
    {
        0 => "",
        1 => "tab\tand \"quotes\" and \\ back",
        2 => "astral 😀 and ✓",
        3 => "nul\0inside",
        4 => "lone \ud800 surrogate",
        5 => "line\r\nbreak",
        6 => "<script>&amp;</script>",
        _ => "text " + random.Next(1000).ToString(CultureInfo.InvariantCulture),
    };

    private static string Timestamp(Random random) => Pick(random, "2026-11-21T10:00:00Z", "2026-11-21T10:00:00.123+01:00", "2026-13-01T00:00:00Z", "yesterday", "2026-11-21");

    private static int? Number(Random random) => random.Next(3) == 0 ? null : Pick(random, 7, 1, 0, -3, 120, int.MaxValue);

    private static T Pick<T>(Random random, params T[] values) => s_valid ? values[0] : values[random.Next(values.Length)];

    private static T PickAny<T>(Random random, params T[] values) => values[random.Next(values.Length)];

    private static string? Maybe(Random random, Func<string> value) => random.Next(2) == 0 ? value() : null;

    private static string[] Some(Random random, Func<string> value) => Enumerable.Range(0, random.Next(3) == 0 ? random.Next(1, 3) : 0).Select(_ => value()).ToArray();
}
