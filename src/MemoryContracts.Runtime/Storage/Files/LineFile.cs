using System.Buffers;
using System.Globalization;
using MemoryContracts.Diagnostics;
using MemoryContracts.IO;
using Microsoft.Win32.SafeHandles;

namespace MemoryContracts.Runtime.Storage.Files;

/// <summary>
/// An append-only file of lines with durable appends. Callers enqueue lines in their own order (under their own
/// lock) and then wait: whichever waiter gets the flush turn writes every queued line and flushes the file to disk
/// once for all of them (group commit), so concurrent appenders share one fsync and one writer still pays one
/// fsync per append. A line is acknowledged only after the fsync that covers it.
/// </summary>
/// <remarks>
/// Opened with a reserve (Linux), the file is kept longer than its lines by a run of spaces that appends overwrite:
/// an append inside the reserve changes neither the file's size nor its block map, so <c>fdatasync</c> makes it
/// durable without a journal commit (the technique of PostgreSQL's zero-filled WAL segments). The reserve is grown,
/// with a full fsync, by an eighth of the file (64 KB to 4 MB) when an append reaches its end (not on the first flush
/// after opening), and cut off when the file is closed, so a closed file holds its lines and nothing else. Readers
/// stop after the file's last byte other than a space, so a reserve a crash leaves is never read; what a crash leaves
/// between the last newline and the reserve is a cut-off line.
/// </remarks>
internal sealed class LineFile : IDisposable
{
    private const byte NewLine = (byte)'\n';
    private const byte Space = (byte)' ';
    private const int BlockSize = 1 << 17;
    private const int MinimumReserve = 1 << 16;
    private const int MaximumReserve = 1 << 22;
    private static readonly ReadOnlyMemory<byte> Spaces = CreateSpaces();
    private readonly object _queueGate = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly string _path;
    private readonly bool _reserve;
    private FileStream? _stream;
    private long _end;
    private long _reserved;
    private bool _flushedBefore;
    private Batch _open = new();
    private bool _flushing;
    private Exception? _fault;

    private LineFile(string path, FileStream? stream, long lineCount, long end, bool reserve = false)
    {
        _path = path;
        _stream = stream;
        LineCount = lineCount;
        _end = end;
        _reserved = end;
        _reserve = reserve && DataSync.IsAvailable;
    }

    /// <summary>Lines in the file, including those queued but not yet durable.</summary>
    public long LineCount { get; private set; }

    public string Path => _path;

    /// <summary>
    /// Opens (or creates) the file. A last line without its newline was cut off by a crash before it was
    /// acknowledged: it is moved to a <c>.torn-*</c> file beside the log and reported as MC5004. Opened
    /// <paramref name="readOnly"/>, nothing is created, moved or written (a full disk does not stop a reader): a cut-off
    /// last line is reported and left where it is, and reads skip it. A reserve a crash left behind (see the remarks on
    /// the type) is cut off, or left where it is when read-only; with <paramref name="reserve"/>, appends keep one.
    /// </summary>
    public static LineFile Open(string path, out ContractDiagnostic? torn, bool readOnly = false, bool reserve = false)
    {
        torn = null;
        if (readOnly)
        {
            if (!File.Exists(path))
            {
                return new LineFile(path, null, 0, 0);
            }

            var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.None);
            var (count, end, contentEnd) = Scan(reader);
            if (end < contentEnd)
            {
                torn = new ContractDiagnostic(DiagnosticCatalog.TornLogLine, DiagnosticCatalog.TornLogLine.DefaultSeverity, $"the last line ({contentEnd - end} bytes) was cut off before it was acknowledged; reads leave it out, and the next command that writes moves it aside", new SourceLocation(path, (int)Math.Min(int.MaxValue, count + 1), 1, 0, 0));
            }

            return new LineFile(path, reader, count, end);
        }

        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1, FileOptions.None);
        try
        {
            var (lines, lastNewLineEnd, contentEnd) = Scan(stream);
            if (lastNewLineEnd < contentEnd)
            {
                var tail = new byte[contentEnd - lastNewLineEnd];
                stream.Position = lastNewLineEnd;
                stream.ReadExactly(tail);
                var quarantine = path + ".torn-" + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfffffff", CultureInfo.InvariantCulture);
                AtomicFile.WriteAllBytes(quarantine, tail);
                torn = DiagnosticCatalog.TornLogLine.Create(new SourceLocation(path, (int)Math.Min(int.MaxValue, lines + 1), 1, 0, 0), tail.Length, System.IO.Path.GetFileName(quarantine));
            }

            if (lastNewLineEnd < stream.Length)
            {
                stream.SetLength(lastNewLineEnd);
                stream.Flush(flushToDisk: true);
            }

            return new LineFile(path, stream, lines, lastNewLineEnd, reserve);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Queues complete lines (each ending in a newline); call <see cref="WaitDurable"/> before acknowledging them.</summary>
    public object Enqueue(byte[] lines, int lineCount)
    {
        lock (_queueGate)
        {
            if (_stream is null || !_stream.CanWrite)
            {
                throw new InvalidOperationException($"'{_path}' is open for reading only");
            }

            if (_fault is not null)
            {
                throw new IOException($"'{_path}' failed an earlier write and takes no more appends until it is reopened", _fault);
            }

            _open.Chunks.Add(lines);
            LineCount += lineCount;
            return _open;
        }
    }

    /// <summary>Returns when the batch holding the queued lines is on disk; throws when its write failed.</summary>
    public void WaitDurable(object ticket) => Synchronously.Run(WaitDurableAsync(useAsync: false, (Batch)ticket));

    /// <summary>
    /// Returns when the batch holding the queued lines is on disk, waiting without blocking a thread; throws when its
    /// write failed. Not cancellable: queued lines are written whoever flushes, so a caller is never told
    /// "cancelled" about lines that become durable.
    /// </summary>
    public ValueTask WaitDurableAsync(object ticket) => WaitDurableAsync(useAsync: true, (Batch)ticket);

    /// <summary>
    /// Group commit: the first waiter when nobody is flushing leads; it writes the open batch (its own) and fsyncs once,
    /// then hands the turn to the batch that filled meanwhile, whose first waiter to wake leads next. Every other
    /// waiter waits for its batch's outcome, blocking or asynchronously as it runs, and never for a lock.
    /// </summary>
    private async ValueTask WaitDurableAsync(bool useAsync, Batch batch)
    {
        bool lead;
        lock (_queueGate)
        {
            lead = !batch.Done && !_flushing;
            _flushing |= lead;
        }

        while (!batch.Done)
        {
            if (!lead)
            {
                var outcome = await batch.WaitForTurnOrOutcomeAsync(useAsync).ConfigureAwait(false);
                lock (_queueGate)
                {
                    lead = !outcome && batch.TakeTurn();
                }

                if (!lead)
                {
                    await batch.WaitForOutcomeAsync(useAsync).ConfigureAwait(false);
                    break;
                }
            }

            await FlushOpenAsync(useAsync).ConfigureAwait(false);
            lead = false;
        }

        if (batch.Error is { } error)
        {
            throw new IOException($"'{_path}' could not be written: {error.Message}", error);
        }
    }

    /// <summary>Writes the open batch and fsyncs once, then passes the turn on to the batch that filled meanwhile, if any.</summary>
    private async ValueTask FlushOpenAsync(bool useAsync)
    {
        if (useAsync)
        {
            await _writeGate.WaitAsync().ConfigureAwait(false);
        }
        else
        {
            _writeGate.Wait();
        }

        Batch flushing;
        try
        {
            lock (_queueGate)
            {
                flushing = _open;
                _open = new Batch();
            }

            var stream = _stream!;
            var before = _end;
            try
            {
                foreach (var chunk in flushing.Chunks)
                {
                    RandomAccess.Write(stream.SafeFileHandle, chunk, _end);
                    _end += chunk.Length;
                }

                MakeDurable(stream);
            }
            catch (Exception exception)
            {
                flushing.Error = exception;
                lock (_queueGate)
                {
                    _fault = exception;
                }

                Rollback(stream, before);
            }
        }
        finally
        {
            _writeGate.Release();
        }

        flushing.Finish();
        lock (_queueGate)
        {
            if (_open.Chunks.Count > 0)
            {
                _open.GiveTurn();
            }
            else
            {
                _flushing = false;
            }
        }
    }

    /// <summary>
    /// Flushes what was just written: inside the reserve with <c>fdatasync</c>; past it, the file is fsynced whole,
    /// after growing the reserve unless this is the first flush since the file was opened (a command that appends
    /// once and exits pays nothing for a reserve), or the disk has no room for it (the file then ends with the lines).
    /// </summary>
    private void MakeDurable(FileStream stream)
    {
        if (_end <= _reserved && _reserve)
        {
            DataSync.Flush(stream.SafeFileHandle, _path);
            return;
        }

        _reserved = _end;
        if (_reserve && _flushedBefore)
        {
            var size = (int)Math.Clamp(_end / 8, MinimumReserve, MaximumReserve);
            try
            {
                for (var written = 0; written < size; written += Spaces.Length)
                {
                    RandomAccess.Write(stream.SafeFileHandle, Spaces.Span[..Math.Min(Spaces.Length, size - written)], _end + written);
                }

                _reserved = _end + size;
            }
            catch (IOException)
            {
                stream.SetLength(_end);
            }
        }

        stream.Flush(flushToDisk: true);
        _flushedBefore = true;
    }

    /// <summary>
    /// Cuts the file back to where the failed batch began (a full disk can leave part of it written), so no line of a
    /// refused write remains, and drops the reserve; if even that fails, reopening quarantines the torn tail (MC5004).
    /// </summary>
    private void Rollback(FileStream stream, long length)
    {
        _end = length;
        _reserved = length;
        try
        {
            stream.SetLength(length);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Reads every durable line from the start, with its 1-based number, without the newline.</summary>
    public IEnumerable<(long Number, byte[] Buffer, int Start, int Length)> ReadLines()
    {
        foreach (var block in ReadBlocks())
        {
            try
            {
                var number = block.FirstLine;
                var start = 0;
                while (start < block.Length)
                {
                    var end = Array.IndexOf(block.Bytes, NewLine, start, block.Length - start);
                    yield return (number++, block.Bytes, start, end - start);
                    start = end + 1;
                }
            }
            finally
            {
                block.Return();
            }
        }
    }

    /// <summary>
    /// Reads the durable content in blocks of whole lines (about 128 KB each, each in an array of its own rented from
    /// the shared pool, so blocks can be parsed on other threads; whoever takes a block calls
    /// <see cref="LineBlock.Return"/> when done with it). A cut-off last line is left out.
    /// </summary>
    public IEnumerable<LineBlock> ReadBlocks()
    {
        if (_stream is null)
        {
            yield break;
        }

        using var reader = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        var contentEnd = _stream.CanWrite ? Interlocked.Read(ref _end) : ContentEnd(reader.SafeFileHandle);
        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        var filled = 0;
        long nextLine = 1;
        try
        {
            while (true)
            {
                var read = reader.Read(buffer, filled, (int)Math.Min(buffer.Length - filled, contentEnd - reader.Position));
                filled += read;
                var end = filled == 0 ? -1 : Array.LastIndexOf(buffer, NewLine, filled - 1, filled);
                if (end >= 0)
                {
                    var next = ArrayPool<byte>.Shared.Rent(BlockSize);
                    var length = end + 1;
                    var lines = buffer.AsSpan(0, length).Count(NewLine);
                    Array.Copy(buffer, length, next, 0, filled - length);
                    var block = new LineBlock(nextLine, lines, buffer, length);
                    nextLine += lines;
                    filled -= length;
                    buffer = next;
                    yield return block;
                }
                else if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Array.Copy(buffer, larger, filled);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                if (read == 0)
                {
                    yield break;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The last durable line without its newline, or null when the file has none.</summary>
    public byte[]? ReadLastLine()
    {
        if (_stream is null)
        {
            return null;
        }

        using var reader = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        var end = Math.Min(Interlocked.Read(ref _end), reader.Length);
        var window = 4096;
        while (true)
        {
            var start = Math.Max(0, end - window);
            var bytes = new byte[end - start];
            reader.Position = start;
            reader.ReadExactly(bytes);
            var last = bytes.AsSpan().LastIndexOf(NewLine);
            if (last < 0)
            {
                return null; // no complete line at all
            }

            var previous = bytes.AsSpan(0, last).LastIndexOf(NewLine);
            if (previous >= 0 || start == 0)
            {
                return bytes.AsSpan(previous + 1, last - previous - 1).ToArray();
            }

            window *= 2;
        }
    }

    /// <summary>Replaces the whole file atomically with new lines (write, flush, rename) and continues appending to it.</summary>
    public void Replace(IEnumerable<byte[]> lines)
    {
        _writeGate.Wait();
        try
        {
            lock (_queueGate)
            {
                using var content = new MemoryStream();
                long count = 0;
                foreach (var line in lines)
                {
                    content.Write(line);
                    count++;
                }

                if (_stream is null || !_stream.CanWrite)
                {
                    throw new InvalidOperationException($"'{_path}' is open for reading only");
                }

                _stream.Dispose();
                AtomicFile.WriteAllBytes(_path, content.ToArray());
                _stream = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 1);
                _end = _stream.Length;
                _reserved = _end;
                LineCount = count;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Closes the file, cutting off its reserve so that it holds its lines and nothing else.</summary>
    public void Dispose()
    {
        _writeGate.Wait();
        try
        {
            if (_stream is { CanWrite: true } && _reserved > _end)
            {
                try
                {
                    _stream.SetLength(_end);
                    _stream.Flush(flushToDisk: true);
                }
                catch (IOException)
                {
                    // The reserve stays; the next open cuts it off.
                }
            }

            _stream?.Dispose();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>
    /// Where the file's last byte other than a space ends: reads of a file opened read-only stop there, before a
    /// reserve (the writer knows where its lines end). Found from the end of the file, so a line of spaces edited into
    /// the middle of a log is read (and reported) like any other line.
    /// </summary>
    private static long ContentEnd(SafeFileHandle file)
    {
        var window = new byte[MinimumReserve];
        var end = RandomAccess.GetLength(file);
        while (end > 0)
        {
            var start = Math.Max(0, end - window.Length);
            var span = window.AsSpan(0, (int)(end - start));
            var read = RandomAccess.Read(file, span, start);
            var content = span[..read].LastIndexOfAnyExcept(Space);
            if (content >= 0)
            {
                return start + content + 1;
            }

            end = start;
        }

        return 0;
    }

    /// <summary>Counts the lines; returns where the last newline ends and where the last byte other than a space ends.</summary>
    private static (long Lines, long LastNewLineEnd, long ContentEnd) Scan(FileStream stream)
    {
        var buffer = new byte[1 << 20];
        long lines = 0, position = 0, lastNewLineEnd = 0, contentEnd = 0;
        stream.Position = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            lines += span.Count(NewLine);
            var last = span.LastIndexOf(NewLine);
            if (last >= 0)
            {
                lastNewLineEnd = position + last + 1;
            }

            var content = span.LastIndexOfAnyExcept(Space);
            if (content >= 0)
            {
                contentEnd = position + content + 1;
            }

            position += read;
        }

        return (lines, lastNewLineEnd, contentEnd);
    }

    private static ReadOnlyMemory<byte> CreateSpaces()
    {
        var spaces = new byte[MinimumReserve];
        spaces.AsSpan().Fill(Space);
        return spaces;
    }

    /// <summary>Whole lines: <paramref name="Length"/> bytes of <paramref name="Bytes"/>, the first of them line <paramref name="FirstLine"/>.</summary>
    internal readonly record struct LineBlock(long FirstLine, int LineCount, byte[] Bytes, int Length)
    {
        /// <summary>Gives the array back to the pool; the block must not be used afterwards.</summary>
        public void Return() => ArrayPool<byte>.Shared.Return(Bytes);
    }

    /// <summary>Lines queued together and made durable by one write and one fsync.</summary>
    private sealed class Batch
    {
        private readonly TaskCompletionSource _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _turn = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private bool _turnTaken;

        public List<byte[]> Chunks { get; } = [];

        /// <summary>Whether the flush of this batch has finished (see <see cref="Error"/>).</summary>
        public bool Done => _outcome.Task.IsCompleted;

        public Exception? Error { get; set; }

        /// <summary>The flush of this batch finished (<see cref="Error"/> set first when it failed).</summary>
        public void Finish() => _outcome.TrySetResult();

        /// <summary>The leader before passes the turn to flush this batch to one of its waiters.</summary>
        public void GiveTurn() => _turn.TrySetResult();

        /// <summary>Under the queue gate: true for the one waiter that takes the turn it was given.</summary>
        public bool TakeTurn()
        {
            var taken = _turn.Task.IsCompleted && !_turnTaken;
            _turnTaken |= taken;
            return taken;
        }

        /// <summary>True when the batch has its outcome, false when it was given the turn to flush.</summary>
        public async ValueTask<bool> WaitForTurnOrOutcomeAsync(bool useAsync)
        {
            if (useAsync)
            {
                await Task.WhenAny(_outcome.Task, _turn.Task).ConfigureAwait(false);
            }
            else
            {
                Task.WaitAny(_outcome.Task, _turn.Task);
            }

            return Done;
        }

        public async ValueTask WaitForOutcomeAsync(bool useAsync)
        {
            if (useAsync)
            {
                await _outcome.Task.ConfigureAwait(false);
            }
            else
            {
                _outcome.Task.Wait();
            }
        }
    }
}
