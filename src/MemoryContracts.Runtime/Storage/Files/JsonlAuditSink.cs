using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime.Json;

namespace MemoryContracts.Runtime.Storage.Files;

/// <summary>The workspace's <c>audit.jsonl</c>: one record per line, durable when <see cref="Write"/> returns.</summary>
public sealed class JsonlAuditSink : IAuditSink, IDisposable
{
    private readonly LineFile _file;
    private readonly object _chainGate = new();
    private string? _previous;

    /// <summary>Opens (or creates) the audit log of a workspace layout; <paramref name="readOnly"/>, it never creates, moves or writes a file.</summary>
    public JsonlAuditSink(WorkspaceLayout layout, bool readOnly = false)
    {
        _file = LineFile.Open(layout.AuditFile, out var torn, readOnly, reserve: true);
        Recovered = torn is null ? [] : [torn];
    }

    /// <summary>What opening the audit log recovered from (a torn last line).</summary>
    public IReadOnlyList<ContractDiagnostic> Recovered { get; }

    /// <inheritdoc />
    /// <remarks>
    /// Each line ends with <c>"chain"</c>: the SHA-256 of the previous line's chain value and this line's record, so
    /// a line edited, inserted or removed in the middle breaks every chain value after it (<see cref="Check"/>).
    /// </remarks>
    public void Write(AuditRecord record) => _file.WaitDurable(Enqueue(record));

    /// <inheritdoc />
    public async ValueTask WriteAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await _file.WaitDurableAsync(Enqueue(record)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<AuditRecord> ReadAsync(CancellationToken cancellationToken = default) => AsyncSequence.Of(Read(), cancellationToken);

    /// <summary>Chains the record to the line before it and queues its line for the next group commit.</summary>
    private object Enqueue(AuditRecord record)
    {
        var output = new ArrayBufferWriter<byte>();
        AuditJson.Write(output, record);
        lock (_chainGate)
        {
            _previous ??= LastChain();
            var chain = Chain(_previous, output.WrittenSpan);
            var ticket = _file.Enqueue(Chained(output.WrittenSpan, chain), 1);
            _previous = chain;
            return ticket;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ContractDiagnostic> Check()
    {
        var problems = new List<ContractDiagnostic>();
        var previous = string.Empty;
        var chained = false;
        foreach (var (number, buffer, start, length) in _file.ReadLines())
        {
            var line = buffer.AsSpan(start, length);
            void Report(string why) => problems.Add(DiagnosticCatalog.IntegrityBroken.Create(new SourceLocation(_file.Path, (int)Math.Min(int.MaxValue, number), 1, 0, 0), number, "(audit)", "(audit)", why));
            if (!TrySplit(line, out var record, out var chain))
            {
                if (chained)
                {
                    Report("the audit line carries no chain value although the lines before it do (inserted by hand)");
                }

                continue;
            }

            chained = true;
            var expected = Chain(previous, record);
            if (!chain.SequenceEqual(Encoding.ASCII.GetBytes(expected)))
            {
                Report("the audit line's chain value does not match it and the line before it (edited, inserted or a line before it removed)");
                expected = Encoding.ASCII.GetString(chain);
            }

            previous = expected;
        }

        return problems;
    }

    /// <inheritdoc />
    public IEnumerable<AuditRecord> Read()
    {
        foreach (var (number, buffer, start, length) in _file.ReadLines())
        {
            yield return Parse(number, buffer, start, length);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _file.Dispose();

    private static readonly byte[] ChainSuffix = ",\"chain\":\""u8.ToArray();

    /// <summary>The chain value of a record after the one with <paramref name="previous"/>: SHA-256 of both, hexadecimal.</summary>
    private static string Chain(string previous, ReadOnlySpan<byte> record)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.ASCII.GetBytes(previous + "\n"));
        hash.AppendData(record);
        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <summary>The record's JSON with the chain value as its last property, and a newline.</summary>
    private static byte[] Chained(ReadOnlySpan<byte> record, string chain)
    {
        var line = new byte[record.Length - 1 + ChainSuffix.Length + chain.Length + 3];
        record[..^1].CopyTo(line);
        var at = record.Length - 1;
        ChainSuffix.CopyTo(line, at);
        at += ChainSuffix.Length;
        at += Encoding.ASCII.GetBytes(chain, line.AsSpan(at));
        line[at++] = (byte)'"';
        line[at++] = (byte)'}';
        line[at] = (byte)'\n';
        return line;
    }

    /// <summary>Splits a chained line into the record it covers (the JSON without the chain) and the chain value.</summary>
    private static bool TrySplit(ReadOnlySpan<byte> line, out byte[] record, out ReadOnlySpan<byte> chain)
    {
        record = [];
        chain = default;
        const int HexLength = 64;
        var start = line.Length - HexLength - 2 - ChainSuffix.Length;
        if (start <= 0 || !line[start..].StartsWith(ChainSuffix) || !line.EndsWith("\"}"u8))
        {
            return false;
        }

        chain = line.Slice(start + ChainSuffix.Length, HexLength);
        record = [.. line[..start], (byte)'}'];
        return true;
    }

    /// <summary>The chain value of the last line, or empty when the log has none (or its last line is unchained).</summary>
    private string LastChain() => _file.ReadLastLine() is { } last && TrySplit(last, out _, out var chain) ? Encoding.ASCII.GetString(chain) : string.Empty;

    private AuditRecord Parse(long number, byte[] buffer, int start, int length) =>
        StoredContent.Read(buffer.AsSpan(start, length), _file.Path, number, AuditJson.Read);
}
