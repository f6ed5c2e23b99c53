using System.Diagnostics;
using System.Diagnostics.Metrics;
using MemoryContracts.Diagnostics;

namespace MemoryContracts.Runtime.Telemetry;

/// <summary>
/// The runtime's metrics and traces, for OpenTelemetry or any <see cref="MeterListener"/> / <see cref="ActivityListener"/>:
/// one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named <see cref="Name"/>. Every measurement and
/// activity carries the workspace it happened in (<c>memorycontracts.workspace</c>: its folder, or a name such as
/// <c>postgres:owner</c>). The instruments are the reference design's (seed 003, phase 8) under .NET naming:
/// <list type="table">
/// <item><term><c>memorycontracts.events.committed</c></term><description>records appended and durable (event_commit_rate)</description></item>
/// <item><term><c>memorycontracts.events.failed</c></term><description>appends refused or failed, by <c>code</c> (event_fail_rate)</description></item>
/// <item><term><c>memorycontracts.lint.warnings</c></term><description>lint findings on toolbelt writes, by <c>rule</c> (lint_warning_rate)</description></item>
/// <item><term><c>memorycontracts.integrity.mismatches</c></term><description>integrity findings (MC5016, MC5017, MC5026, MC5029), by <c>code</c> (hash_mismatch_count)</description></item>
/// <item><term><c>memorycontracts.replay.duration</c></term><description>seconds per replay (replay_latency_p95)</description></item>
/// <item><term><c>memorycontracts.append.duration</c></term><description>seconds per append, until durable</description></item>
/// <item><term><c>memorycontracts.review.decisions</c></term><description>review-gate decisions, by <c>action</c> and <c>decision</c></description></item>
/// </list>
/// Activities: <c>memory.append</c>, <c>memory.replay</c>, <c>memory.apply</c>, <c>memory.retrieve</c>. No memory content is
/// ever a tag: ids of graphs and plans, counts and codes only.
/// </summary>
public static class MemoryTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "MemoryContracts";

    /// <summary>The tag that names the workspace.</summary>
    public const string WorkspaceTag = "memorycontracts.workspace";

    private static readonly string? Version = typeof(MemoryTelemetry).Assembly.GetName().Version?.ToString();
    private static readonly Meter Meter = new(Name, Version);
    private static readonly Counter<long> Committed = Meter.CreateCounter<long>("memorycontracts.events.committed", "{record}", "Records appended to a graph's log and durable.");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("memorycontracts.events.failed", "{append}", "Appends refused (by code) or failed to write.");
    private static readonly Counter<long> Lint = Meter.CreateCounter<long>("memorycontracts.lint.warnings", "{finding}", "Lint findings of toolbelt writes, by rule.");
    private static readonly Counter<long> Mismatches = Meter.CreateCounter<long>("memorycontracts.integrity.mismatches", "{finding}", "Integrity findings: broken chains and MACs, snapshot drift, tampered packages.");
    private static readonly Histogram<double> Replays = Meter.CreateHistogram<double>("memorycontracts.replay.duration", "s", "Time to replay a graph's log to a state.");
    private static readonly Histogram<double> Appends = Meter.CreateHistogram<double>("memorycontracts.append.duration", "s", "Time from an append's call to its durable acknowledgement.");
    private static readonly Counter<long> Reviews = Meter.CreateCounter<long>("memorycontracts.review.decisions", "{decision}", "Review-gate decisions (apply, settle_review), granted or denied.");
    private static readonly HashSet<string> IntegrityCodes =
        [DiagnosticCatalog.IntegrityBroken.Code, DiagnosticCatalog.SnapshotDrift.Code, DiagnosticCatalog.ItemIntegrityBroken.Code, DiagnosticCatalog.PackageTampered.Code];

    /// <summary>The activity source of the runtime's operations.</summary>
    internal static ActivitySource Source { get; } = new(Name, Version);

    /// <summary>Starts an activity for an operation on a graph (null when no one listens).</summary>
    internal static Activity? Start(string operation, string workspace, string? graphId)
    {
        var activity = Source.StartActivity(operation);
        activity?.SetTag(WorkspaceTag, workspace);
        activity?.SetTag("memorycontracts.graph", graphId);
        return activity;
    }

    internal static void RecordsCommitted(string workspace, int records, TimeSpan elapsed)
    {
        Committed.Add(records, new KeyValuePair<string, object?>(WorkspaceTag, workspace));
        Appends.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(WorkspaceTag, workspace));
    }

    internal static void AppendFailed(string workspace, string code) =>
        Failed.Add(1, new KeyValuePair<string, object?>(WorkspaceTag, workspace), new KeyValuePair<string, object?>("code", code));

    internal static void Replayed(string workspace, TimeSpan elapsed) =>
        Replays.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(WorkspaceTag, workspace));

    internal static void LintFinding(string workspace, string rule) =>
        Lint.Add(1, new KeyValuePair<string, object?>(WorkspaceTag, workspace), new KeyValuePair<string, object?>("rule", rule));

    internal static void ReviewDecision(string workspace, string action, AuditDecision decision) =>
        Reviews.Add(1, new KeyValuePair<string, object?>(WorkspaceTag, workspace), new KeyValuePair<string, object?>("action", action), new KeyValuePair<string, object?>("decision", decision == AuditDecision.Granted ? "granted" : "denied"));

    /// <summary>Counts the integrity findings among diagnostics (what repair, verify or a read found).</summary>
    internal static void IntegrityFindings(string workspace, IEnumerable<ContractDiagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics.Where(diagnostic => IntegrityCodes.Contains(diagnostic.Code)))
        {
            Mismatches.Add(1, new KeyValuePair<string, object?>(WorkspaceTag, workspace), new KeyValuePair<string, object?>("code", diagnostic.Code));
        }
    }
}
