using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Retrieval;
using MemoryContracts.Runtime.Toolbelt;
using Microsoft.Extensions.Logging;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 14: ILogger categories per part with source-generated messages and event ids, and nothing of a memory
/// item's content (titles, texts) in any entry at Information or above, even while that item is refused or forgotten.
/// </summary>
public sealed class LoggingTests
{
    private readonly string _folder = TestSupport.TempFolder("logging");

    [Fact]
    public void Each_part_logs_under_its_category_with_event_ids_and_no_memory_content()
    {
        var logs = new CapturingLoggerFactory();
        IReadOnlyList<string> content;
        using (var workspace = MemoryWorkspace.Create(Path.Combine(_folder, "ledger"), new WorkspaceOptions { LoggerFactory = logs }))
        {
            workspace.Import(TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "tester");
            workspace.Import(TestSupport.Write(_folder, "profile.yaml", TestSupport.Profile), "tester");
            content = workspace.Nodes("kb").SelectMany(node => new[] { node.Title, node.Text }).OfType<string>().ToArray();
            Assert.Throws<MemoryStoreException>(() => workspace.Append("kb", TestSupport.Event("ev-odd", kind: "odd")));
            workspace.Retrieval.Retrieve(new RetrievalQuery.Neighborhood("kb", "decision"), new RetrievalSubject("agent", []));
            var plan = workspace.Lifecycle.Plan("kb", "kb-profile", new LifecycleRequest { Forget = ["fact-secret"], Retention = false, RequestedBy = "tester" });
            workspace.Lifecycle.Apply(plan, TestSupport.Approve(plan, "carol", at: workspace.Now()), "tester");
            new MemoryToolbelt(Path.Combine(_folder, "memory"), workspace).Write(new ToolRequest { Path = "notes.md", Content = "# Notes\n" });
        }

        var entries = logs.Entries;
        Assert.Contains(entries, entry => entry is { Category: "MemoryContracts.Storage", EventId: 100, Level: LogLevel.Information } && entry.State["Action"] == "import");
        var refused = Assert.Single(entries, entry => entry is { Category: "MemoryContracts.Storage", EventId: 101, Level: LogLevel.Warning });
        Assert.Equal(("append", "MC2003", "kb"), (refused.State["Action"], refused.State["Code"], refused.State["Graph"]));
        Assert.Contains(entries, entry => entry is { Category: "MemoryContracts.Storage", EventId: 102, Level: LogLevel.Debug } && entry.Message.Contains("unknown event kind 'odd'", StringComparison.Ordinal));
        Assert.Contains(entries, entry => entry is { Category: "MemoryContracts.Storage", EventId: 110, Level: LogLevel.Debug } && entry.State["Graph"] == "kb");
        Assert.Contains(entries, entry => entry is { Category: "MemoryContracts.Retrieval", EventId: 100 } && entry.State["Actor"] == "agent");
        Assert.Contains(entries, entry => entry is { Category: "MemoryContracts.Lifecycle", EventId: 100 } && entry.State["Action"] == "apply");
        Assert.Contains(entries, entry => entry is { Category: "MemoryContracts.Toolbelt", EventId: 130 } && entry.State["Status"] == "committed" && entry.State["File"] == "notes.md");

        var visible = entries.Where(entry => entry.Level >= LogLevel.Information).Select(entry => entry.Message).ToArray();
        Assert.NotEmpty(visible);
        foreach (var text in content)
        {
            Assert.DoesNotContain(visible, message => message.Contains(text, StringComparison.Ordinal));
        }
    }

    /// <summary>Keeps every entry of every logger it makes: category, level, event id, message and the structured values.</summary>
    private sealed class CapturingLoggerFactory : ILoggerFactory
    {
        private readonly List<Entry> _entries = [];

        public IReadOnlyList<Entry> Entries
        {
            get
            {
                lock (_entries)
                {
                    return _entries.ToArray();
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        internal sealed record Entry(string Category, LogLevel Level, int EventId, string Message, IReadOnlyDictionary<string, string?> State);

        private sealed class Logger(string category, CapturingLoggerFactory owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToDictionary(pair => pair.Key, pair => pair.Value?.ToString()) : [];
                lock (owner._entries)
                {
                    owner._entries.Add(new Entry(category, logLevel, eventId.Id, formatter(state, exception), values));
                }
            }
        }
    }
}
