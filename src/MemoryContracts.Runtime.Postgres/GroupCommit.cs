namespace MemoryContracts.Runtime.Postgres;

/// <summary>
/// Group commit for one graph in this process: writers queue their requests; one at a time flushes everything queued
/// (its own request included) and hands the turn to the first request that arrived meanwhile; the others wait for
/// their outcome. Waiting is blocking or asynchronous as the caller runs; an asynchronous waiter whose token fires
/// while its request is still queued leaves the queue, and once a flush has taken it, it waits for the outcome.
/// </summary>
internal sealed class GroupCommit
{
    private readonly object _gate = new();
    private List<WriteRequest> _waiting = [];
    private bool _flushing;

    /// <summary>Held by a flush, and by anything that must not interleave with one (a history rewrite).</summary>
    public SemaphoreSlim FlushGate { get; } = new(1, 1);

    /// <summary>Queues the request and returns when it has its outcome (<see cref="WriteRequest.Stored"/> or <see cref="WriteRequest.Error"/>).</summary>
    public async ValueTask RunAsync(bool useAsync, WriteRequest request, Func<List<WriteRequest>, ValueTask> flush, CancellationToken cancellationToken)
    {
        bool lead;
        lock (_gate)
        {
            _waiting.Add(request);
            lead = !_flushing;
            _flushing = true;
        }

        while (lead || await WaitForTurnOrOutcomeAsync(useAsync, request, cancellationToken).ConfigureAwait(false))
        {
            lead = false;
            if (useAsync)
            {
                await FlushGate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                FlushGate.Wait();
            }

            try
            {
                List<WriteRequest> batch;
                lock (_gate)
                {
                    batch = _waiting;
                    _waiting = [];
                }

                try
                {
                    await flush(batch).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    // The connection or the server failed: every request of the batch gets the failure, none waits forever.
                    batch.Where(waiting => !waiting.Done).ToList().ForEach(waiting => waiting.Fail(exception));
                }
                finally
                {
                    lock (_gate)
                    {
                        PassTurn();
                    }
                }
            }
            finally
            {
                FlushGate.Release();
            }
        }
    }

    /// <summary>Under the gate: the first request still queued gets the turn to flush, or nobody is flushing any more.</summary>
    private void PassTurn()
    {
        if (_waiting.Count > 0)
        {
            _waiting[0].GiveTurn();
        }
        else
        {
            _flushing = false;
        }
    }

    /// <summary>
    /// Waits until the request has its outcome (false) or is handed the turn to flush (true). Cancelled while the
    /// request is still queued, it leaves the queue (passing on a turn it was just given) and throws; once a flush has
    /// taken it, it waits for the outcome whatever the token says.
    /// </summary>
    private async ValueTask<bool> WaitForTurnOrOutcomeAsync(bool useAsync, WriteRequest request, CancellationToken cancellationToken)
    {
        if (!useAsync)
        {
            return request.WaitForTurnOrOutcome();
        }

        try
        {
            return await request.WaitForTurnOrOutcomeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_gate)
            {
                if (_waiting.Remove(request))
                {
                    if (request.HasTurn)
                    {
                        PassTurn();
                    }

                    throw;
                }
            }

            return await request.WaitForTurnOrOutcomeAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
