namespace MemoryContracts.Runtime.Postgres;

/// <summary>One caller's write in a <see cref="GroupCommit"/>: completed by whichever writer flushes it, or handed the turn to flush.</summary>
internal sealed class WriteRequest(IReadOnlyList<MemoryRecord> records, long? expectedSequence, string status, string? idempotency) : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0);
    private volatile bool _turn;

    public IReadOnlyList<MemoryRecord> Records { get; } = records;

    public long? ExpectedSequence { get; } = expectedSequence;

    public string Status { get; } = status;

    public string? Idempotency { get; } = idempotency;

    public MemoryRecord[]? Stored { get; set; }

    public Exception? Error { get; private set; }

    public bool Done { get; private set; }

    /// <summary>Whether the request was handed the turn to flush (read under the queue's gate).</summary>
    public bool HasTurn => _turn;

    public void Complete(MemoryRecord[] stored)
    {
        Stored = stored;
        Done = true;
        _signal.Release();
    }

    public void Fail(Exception error)
    {
        Error = error;
        Done = true;
        _signal.Release();
    }

    public void GiveTurn()
    {
        _turn = true;
        _signal.Release();
    }

    /// <summary>Waits; true when this request was handed the turn to flush, false when it has its outcome.</summary>
    public bool WaitForTurnOrOutcome()
    {
        _signal.Wait();
        return Outcome();
    }

    /// <inheritdoc cref="WaitForTurnOrOutcome" />
    public async ValueTask<bool> WaitForTurnOrOutcomeAsync(CancellationToken cancellationToken)
    {
        await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        return Outcome();
    }

    private bool Outcome()
    {
        if (Done)
        {
            return false;
        }

        var turn = _turn;
        _turn = false;
        return turn;
    }

    public void Dispose() => _signal.Dispose();

    public void Reset()
    {
        Stored = null;
        Done = false;
    }
}
