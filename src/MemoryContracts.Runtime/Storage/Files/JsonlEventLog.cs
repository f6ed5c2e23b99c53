using System.Buffers;
using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime.Json;

namespace MemoryContracts.Runtime.Storage.Files;

/// <summary>
/// Each graph's log as <c>events.jsonl</c>: one record per line, appended with group commit and acknowledged only
/// after fsync. Opening a log recovers a torn last line (MC5004); a malformed line is MC5003 with its position.
/// </summary>
public sealed class JsonlEventLog : IMemoryEventLog, IDisposable
{
    private readonly WorkspaceLayout _layout;
    private readonly Dictionary<string, GraphLog> _logs = new(StringComparer.Ordinal);
    private readonly List<ContractDiagnostic> _recovered = [];
    private readonly bool _readOnly;

    /// <summary>Creates the log over a workspace layout; <paramref name="readOnly"/>, it never creates, moves or writes a file.</summary>
    public JsonlEventLog(WorkspaceLayout layout, bool readOnly = false)
    {
        _layout = layout;
        _readOnly = readOnly;
    }

    /// <summary>What opening the logs recovered from (torn last lines), so far.</summary>
    public IReadOnlyList<ContractDiagnostic> Recovered
    {
        get
        {
            lock (_logs)
            {
                return _recovered.ToArray();
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<MemoryRecord> Append(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence = null)
    {
        var (log, ticket, stored) = Enqueue(graphId, records, expectedSequence);
        log.File.WaitDurable(ticket);
        return stored;
    }

    /// <inheritdoc />
    /// <remarks>Waits for the group commit's flush turn without blocking a thread; the write and fsync themselves are synchronous.</remarks>
    public async ValueTask<IReadOnlyList<MemoryRecord>> AppendAsync(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (log, ticket, stored) = Enqueue(graphId, records, expectedSequence);
        await log.File.WaitDurableAsync(ticket).ConfigureAwait(false);
        return stored;
    }

    /// <summary>Checks the append against the log, gives the records their sequences and queues their lines for the next group commit.</summary>
    private (GraphLog Log, object Ticket, MemoryRecord[] Stored) Enqueue(string graphId, IReadOnlyList<MemoryRecord> records, long? expectedSequence)
    {
        var log = Log(graphId);
        lock (log)
        {
            var ids = log.EventIds();
            var last = log.LastSequence();
            if (expectedSequence is { } expected && expected != last)
            {
                throw MemoryStoreException.Create(DiagnosticCatalog.StaleLogPosition, _layout.EventsFile(graphId), "the append", graphId, expected, last);
            }

            EventIdCheck.Refuse(records, ids.Contains, graphId, log.File.Path);
            var stored = new MemoryRecord[records.Count];
            log.Output.ResetWrittenCount();
            for (var index = 0; index < records.Count; index++)
            {
                stored[index] = records[index] with { Sequence = last + index + 1 };
                log.Writer.Reset(log.Output);
                RecordJson.WriteRecord(log.Writer, stored[index]);
                log.Output.Write("\n"u8);
            }

            var ticket = log.File.Enqueue(log.Output.WrittenSpan.ToArray(), records.Count);
            foreach (var record in stored)
            {
                if (record.Event is { } graphEvent)
                {
                    ids.Add(graphEvent.Id);
                }
            }

            log.Last = last + records.Count;
            return (log, ticket, stored);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Reads as <see cref="Read"/> does (a regular file's reads complete at once: .NET on Unix has no asynchronous file
    /// reads to wait on), checking <paramref name="cancellationToken"/> between records.
    /// </remarks>
    public IAsyncEnumerable<MemoryRecord> ReadAsync(string graphId, long afterSequence = 0, CancellationToken cancellationToken = default) =>
        AsyncSequence.Of(Read(graphId, afterSequence), cancellationToken);

    /// <inheritdoc />
    public ValueTask<long> LastSequenceAsync(string graphId, CancellationToken cancellationToken = default) =>
        SynchronousWork.Result(() => LastSequence(graphId), cancellationToken);

    /// <inheritdoc />
    public ValueTask<bool> ContainsEventAsync(string graphId, string eventId, CancellationToken cancellationToken = default) =>
        SynchronousWork.Result(() => ContainsEvent(graphId, eventId), cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Blocks of lines are parsed on up to one thread per core, ahead of the caller, and handed over in log
    /// order; a line that cannot be read raises its diagnostic when the caller reaches it.
    /// </remarks>
    public IEnumerable<MemoryRecord> Read(string graphId, long afterSequence = 0)
    {
        var file = Log(graphId).File;
        return ReadAhead.Map(file.ReadBlocks(), block => ParseBlock(file.Path, block)).Where(record => record.Sequence > afterSequence);
    }

    private static MemoryRecord[] ParseBlock(string location, LineFile.LineBlock block)
    {
        try
        {
            var records = new MemoryRecord[block.LineCount];
            var start = 0;
            for (var index = 0; index < records.Length; index++)
            {
                var end = Array.IndexOf(block.Bytes, (byte)'\n', start, block.Length - start);
                records[index] = Parse(location, block.FirstLine + index, block.Bytes, start, end - start);
                start = end + 1;
            }

            return records;
        }
        finally
        {
            block.Return();
        }
    }

    /// <inheritdoc />
    public long LastSequence(string graphId)
    {
        var log = Log(graphId);
        lock (log)
        {
            return log.LastSequence();
        }
    }

    /// <inheritdoc />
    public bool ContainsEvent(string graphId, string eventId)
    {
        var log = Log(graphId);
        lock (log)
        {
            return log.EventIds().Contains(eventId);
        }
    }

    /// <inheritdoc />
    /// <remarks>The file is replaced under the log's lock, synchronously (a rename and an fsync).</remarks>
    public ValueTask RewriteAsync(string graphId, Func<MemoryRecord, MemoryRecord> rewrite, CancellationToken cancellationToken = default) =>
        SynchronousWork.Run(() => Rewrite(graphId, rewrite), cancellationToken);

    /// <inheritdoc />
    /// <remarks>Quarantined torn lines of earlier crashes beside the log are removed too.</remarks>
    public void Rewrite(string graphId, Func<MemoryRecord, MemoryRecord> rewrite)
    {
        var log = Log(graphId);
        lock (log)
        {
            var lines = Read(graphId).Select(record =>
            {
                var output = new ArrayBufferWriter<byte>();
                RecordJson.WriteRecord(output, rewrite(record));
                return RecordJson.WithNewline(output);
            }).ToArray();
            log.File.Replace(lines);
            RemoveTornLines(Path.GetDirectoryName(log.File.Path)!);
        }
    }

    /// <summary>
    /// After history is rewritten (to forget content), removes the lines earlier crashes cut off beside the log (never
    /// acknowledged, and possibly quoting what was just forgotten). Temporary files of cut-off writes are removed when
    /// the workspace is opened (<see cref="WorkspaceLayout.RemoveTemporaryFiles"/>).
    /// </summary>
    private static void RemoveTornLines(string folder)
    {
        foreach (var leftover in Directory.GetFiles(folder, "events.jsonl.torn-*"))
        {
            File.Delete(leftover);
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ContractDiagnostic> Check(string graphId)
    {
        var log = Log(graphId);
        var diagnostics = new List<ContractDiagnostic>();
        lock (_logs)
        {
            diagnostics.AddRange(_recovered.Where(diagnostic => diagnostic.Location.Path == log.File.Path));
        }

        // A line an earlier crash cut off stays reported for as long as its quarantine file is there.
        var folder = Path.GetDirectoryName(log.File.Path)!;
        foreach (var torn in Directory.Exists(folder) ? Directory.GetFiles(folder, Path.GetFileName(log.File.Path) + ".torn-*").Order(StringComparer.Ordinal).ToArray() : [])
        {
            var name = Path.GetFileName(torn);
            if (!diagnostics.Any(diagnostic => diagnostic.Message.Contains(name, StringComparison.Ordinal)))
            {
                diagnostics.Add(new ContractDiagnostic(DiagnosticCatalog.TornLogLine, DiagnosticCatalog.TornLogLine.DefaultSeverity, $"an earlier crash cut off a line ({new FileInfo(torn).Length} bytes) before it was acknowledged; it is kept in '{name}': review it, then delete that file", SourceLocation.File(log.File.Path)));
            }
        }

        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (number, buffer, start, length) in log.File.ReadLines())
        {
            try
            {
                var record = Parse(log.File.Path, number, buffer, start, length);
                if (record.Event is { } graphEvent && !seen.TryAdd(graphEvent.Id, number))
                {
                    diagnostics.Add(DiagnosticCatalog.DuplicateEventId.Create(new SourceLocation(log.File.Path, (int)number, 1, 0, 0), graphEvent.Id, graphId));
                }
            }
            catch (MemoryStoreException exception)
            {
                diagnostics.AddRange(exception.Diagnostics);
            }
        }

        return diagnostics;
    }

    /// <inheritdoc />
    public string LocationOf(string graphId) => _layout.EventsFile(graphId);

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_logs)
        {
            foreach (var log in _logs.Values)
            {
                log.File.Dispose();
            }

            _logs.Clear();
        }
    }

    /// <summary>Reads line <paramref name="number"/> of the log at <paramref name="location"/> (named in a diagnostic).</summary>
    internal static MemoryRecord Parse(string location, long number, byte[] buffer, int start, int length) =>
        StoredContent.Read(buffer.AsSpan(start, length), location, number, RecordJson.ReadRecord);

    private GraphLog Log(string graphId)
    {
        lock (_logs)
        {
            if (!_logs.TryGetValue(graphId, out var log))
            {
                if (!_readOnly)
                {
                    Directory.CreateDirectory(_layout.GraphFolder(graphId));
                }

                log = new GraphLog(LineFile.Open(_layout.EventsFile(graphId), out var torn, _readOnly, reserve: true));
                if (torn is not null)
                {
                    _recovered.Add(torn);
                }

                _logs[graphId] = log;
            }

            return log;
        }
    }

    /// <summary>
    /// One graph's open file, its last sequence, and (built on the first append or lookup, not on open or replay)
    /// the set of its event ids for the duplicate check: about 60 bytes per logged event.
    /// </summary>
    private sealed class GraphLog(LineFile file)
    {
        private HashSet<string>? _eventIds;

        public LineFile File { get; } = file;

        /// <summary>The serialization buffer and writer of appends, reused under the log's lock.</summary>
        public ArrayBufferWriter<byte> Output { get; } = new(4096);

        public Utf8JsonWriter Writer { get; } = new(Stream.Null, RecordJson.Compact);

        public long? Last { get; set; }

        public HashSet<string> EventIds()
        {
            if (_eventIds is null)
            {
                // Lines that cannot be read are skipped here, so a damaged log still opens and can be repaired.
                _eventIds = new HashSet<string>(StringComparer.Ordinal);
                long last = 0;
                foreach (var (number, buffer, start, length) in File.ReadLines())
                {
                    try
                    {
                        var record = Parse(File.Path, number, buffer, start, length);
                        if (record.Event is { } graphEvent)
                        {
                            _eventIds.Add(graphEvent.Id);
                        }

                        last = Math.Max(last, record.Sequence);
                    }
                    catch (MemoryStoreException)
                    {
                    }
                }

                Last ??= last;
            }

            return _eventIds;
        }

        /// <summary>The last record's sequence, read from the last line alone (a full scan only when that line cannot be read).</summary>
        public long LastSequence()
        {
            if (Last is null)
            {
                try
                {
                    Last = File.ReadLastLine() is { } line ? Parse(File.Path, File.LineCount, line, 0, line.Length).Sequence : 0;
                }
                catch (MemoryStoreException)
                {
                    EventIds();
                }
            }

            return Last!.Value;
        }
    }
}
