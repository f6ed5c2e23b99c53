using System.Diagnostics;
using System.Diagnostics.Metrics;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Retrieval;
using MemoryContracts.Runtime.Telemetry;
using MemoryContracts.Runtime.Toolbelt;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 14: the Meter and ActivitySource named MemoryContracts, observed with a MeterListener and an ActivityListener
/// over a real scenario on a folder workspace: every count is what the scenario did, and only ids and codes are tags.
/// </summary>
public sealed class TelemetryTests
{
    private readonly string _folder = TestSupport.TempFolder("telemetry");

    [Fact]
    public void A_scenario_is_counted_timed_and_traced_as_it_happened()
    {
        var measurements = new List<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MemoryTelemetry.Name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Measured(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value)));
            }
        }

        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Measured(instrument, value, tags));
        meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Measured(instrument, value, tags));
        meters.Start();
        var activities = new List<Activity>();
        using var traces = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MemoryTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (activities)
                {
                    activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(traces);

        string location;
        int records;
        using (var workspace = MemoryWorkspace.Create(Path.Combine(_folder, "ledger")))
        {
            location = workspace.Location;
            workspace.Import(TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "tester");
            workspace.Import(TestSupport.Write(_folder, "profile.yaml", TestSupport.Profile), "tester");
            workspace.Append("kb", TestSupport.Event("ev-note", nodes: "note"), new GraphChanges { PutNodes = [TestSupport.Node("note")] });
            Assert.Equal("MC5008", Assert.Throws<MemoryStoreException>(() => workspace.Append("kb", TestSupport.Event("ev-note"))).Code);
            Assert.Equal("MC2003", Assert.Throws<MemoryStoreException>(() => workspace.Append("kb", TestSupport.Event("ev-odd", kind: "odd"))).Code);
            workspace.Replay("kb");
            workspace.Replay("kb", ReplayCutoff.AfterEvent("ev-recorded"));
            var plan = workspace.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest { Forget = ["fact-secret"], Retention = false, RequestedBy = "tester" });
            workspace.Lifecycle.Apply(plan, TestSupport.Approve(plan, "carol", at: workspace.Now()), "tester");
            Assert.Equal("MC5024", Assert.Throws<MemoryStoreException>(() => workspace.Lifecycle.Apply(plan, TestSupport.Approve(plan, "carol", at: workspace.Now()), "tester")).Code);
            workspace.Retrieval.Retrieve(new RetrievalQuery.Neighborhood("kb", "decision"), new RetrievalSubject("agent", []));
            new MemoryToolbelt(Path.Combine(_folder, "memory"), workspace).Write(new ToolRequest { Path = "notes.md", Content = "# Notes\n\n## Facts <!-- anchor: facts v1 -->\n\n- one\n" });
            records = workspace.Graphs.Sum(graph => workspace.Log.Read(graph).Count());
        }

        // Someone edits the audit log by hand: repair finds the broken chain, and it is counted.
        var audit = Path.Combine(_folder, "ledger", "audit.jsonl");
        var lines = File.ReadAllLines(audit);
        lines[1] = lines[1].Replace("tester", "mallory", StringComparison.Ordinal);
        File.WriteAllLines(audit, lines);
        using (var reopened = MemoryWorkspace.Open(Path.Combine(_folder, "ledger"), new WorkspaceOptions { ReadOnly = true }))
        {
            Assert.Contains(reopened.Repair(), diagnostic => diagnostic.Code == "MC5016");
        }

        meters.RecordObservableInstruments();
        var ours = measurements.Where(measurement => Equals(measurement.Tags.GetValueOrDefault(MemoryTelemetry.WorkspaceTag), location)).ToArray();
        double Sum(string instrument, string? tag = null, string? value = null) =>
            ours.Where(measurement => measurement.Instrument == instrument && (tag is null || Equals(measurement.Tags.GetValueOrDefault(tag), value))).Sum(measurement => measurement.Value);
        int Count(string instrument) => ours.Count(measurement => measurement.Instrument == instrument);

        Assert.Equal(records, Sum("memorycontracts.events.committed"));
        Assert.Equal(Count("memorycontracts.events.committed"), Count("memorycontracts.append.duration"));
        Assert.Equal(1, Sum("memorycontracts.events.failed", "code", "MC5008"));
        Assert.Equal(1, Sum("memorycontracts.events.failed", "code", "MC2003"));
        Assert.Equal(2, Sum("memorycontracts.events.failed"));
        Assert.Equal(2, Count("memorycontracts.replay.duration"));
        Assert.All(ours.Where(measurement => measurement.Instrument.EndsWith(".duration", StringComparison.Ordinal)), measurement => Assert.InRange(measurement.Value, 0, 60));
        Assert.Equal(1, Sum("memorycontracts.review.decisions", "decision", "granted"));
        Assert.Equal(1, Sum("memorycontracts.review.decisions", "decision", "denied"));
        Assert.Equal(1, Sum("memorycontracts.lint.warnings", "rule", "front-matter"));
        Assert.True(Sum("memorycontracts.integrity.mismatches", "code", "MC5016") >= 1);

        var traced = activities.Where(activity => Equals(activity.GetTagItem(MemoryTelemetry.WorkspaceTag), location)).ToArray();
        Assert.Equal(5, traced.Count(activity => activity.OperationName == "memory.append")); // the note, two refused, the toolbelt write's pending and committed events
        Assert.Equal(2, traced.Count(activity => activity.OperationName == "memory.append" && activity.Status == ActivityStatusCode.Error));
        Assert.Equal(2, traced.Count(activity => activity.OperationName == "memory.replay"));
        Assert.Equal(2, traced.Count(activity => activity.OperationName == "memory.apply"));
        Assert.Equal("kb", Assert.Single(traced, activity => activity.OperationName == "memory.retrieve").GetTagItem("memorycontracts.graph"));
        // Ids and counts only: no memory content in any tag.
        Assert.DoesNotContain(traced.SelectMany(activity => activity.TagObjects), tag => tag.Value is string text && text.Contains("SECRET-PAYLOAD", StringComparison.Ordinal));
    }
}
