using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace MemoryContracts.Runtime.Telemetry;

/// <summary>The runtime's loggers, one category per part, made from <see cref="WorkspaceOptions.LoggerFactory"/>.</summary>
internal sealed class RuntimeLoggers(ILoggerFactory factory)
{
    public ILogger Storage { get; } = factory.CreateLogger("MemoryContracts.Storage");

    public ILogger Lifecycle { get; } = factory.CreateLogger("MemoryContracts.Lifecycle");

    public ILogger Retrieval { get; } = factory.CreateLogger("MemoryContracts.Retrieval");

    public ILogger Toolbelt { get; } = factory.CreateLogger("MemoryContracts.Toolbelt");

    public ILogger Postgres { get; } = factory.CreateLogger("MemoryContracts.Postgres");

    /// <summary>The category an audited action belongs to.</summary>
    public ILogger For(string action) => action switch
    {
        "import" or "append" => Storage,
        "retrieve" => Retrieval,
        _ when action.StartsWith("mcp.", StringComparison.Ordinal) => Toolbelt,
        _ => Lifecycle,
    };
}

/// <summary>
/// What the runtime logs, source-generated (<see cref="LoggerMessageAttribute"/>). Messages carry ids, counts, codes
/// and actors; a refusal's full text (which can quote what the caller sent) is logged at Debug only.
/// </summary>
internal static partial class RuntimeLog
{
    /// <summary>Logs an audit record: granted at Information, denied at Warning with its code (and its text at Debug).</summary>
    public static void Audited(ILogger logger, AuditRecord record)
    {
        if (record.Decision == AuditDecision.Granted)
        {
            Granted(logger, record.Action, record.Actor, record.Graph ?? "-", record.Operation);
            return;
        }

        Denied(logger, record.Action, record.Actor, record.Graph ?? "-", CodeOf(record.Reason), record.Operation);
        DeniedDetail(logger, record.Action, record.Operation, record.Reason ?? string.Empty);
    }

    [LoggerMessage(EventId = 100, EventName = "OperationGranted", Level = LogLevel.Information, Message = "{Action} granted to {Actor} on graph {Graph} (operation {Operation})")]
    public static partial void Granted(ILogger logger, string action, string actor, string graph, string operation);

    [LoggerMessage(EventId = 101, EventName = "OperationDenied", Level = LogLevel.Warning, Message = "{Action} denied to {Actor} on graph {Graph}: {Code} (operation {Operation})")]
    public static partial void Denied(ILogger logger, string action, string actor, string graph, string code, string operation);

    [LoggerMessage(EventId = 102, EventName = "OperationDeniedDetail", Level = LogLevel.Debug, Message = "{Action} denied (operation {Operation}): {Reason}")]
    public static partial void DeniedDetail(ILogger logger, string action, string operation, string reason);

    [LoggerMessage(EventId = 110, EventName = "RecordsAppended", Level = LogLevel.Debug, Message = "{Records} record(s) durable in graph {Graph} up to sequence {Sequence} in {Milliseconds:F3} ms")]
    public static partial void RecordsAppended(ILogger logger, int records, string graph, long sequence, double milliseconds);

    [LoggerMessage(EventId = 120, EventName = "TornLineRecovered", Level = LogLevel.Warning, Message = "Opening {Workspace} found a torn last line: {Code} at {Location}")]
    public static partial void TornLineRecovered(ILogger logger, string workspace, string code, string location);

    [LoggerMessage(EventId = 121, EventName = "InterruptedApplyFinished", Level = LogLevel.Warning, Message = "Finished apply {Operation} of graph {Graph}, which a crash had cut off")]
    public static partial void InterruptedApplyFinished(ILogger logger, string operation, string graph);

    [LoggerMessage(EventId = 130, EventName = "ToolWrite", Level = LogLevel.Information, Message = "Toolbelt {Op} of {File} {Status} (event {Event})")]
    public static partial void ToolWrite(ILogger logger, string op, string file, string status, string @event);

    [LoggerMessage(EventId = 140, EventName = "PostgresOpened", Level = LogLevel.Information, Message = "Opened the PostgreSQL workspace of owner {Owner}")]
    public static partial void PostgresOpened(ILogger logger, string owner);

    private static string CodeOf(string? reason) => reason is not null && Regex.Match(reason, "MC[0-9]{4}") is { Success: true } match ? match.Value : "-";
}
