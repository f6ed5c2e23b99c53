namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// When to cancel the rounds of a race: nothing for the warm-up rounds, which measure a call's time; then a random
/// moment within twice that time, scaled by feedback (earlier after a call that completed, later after one that was
/// cancelled), so that both outcomes keep happening however fast or loaded the machine is and moments around each
/// call's commit point are hit.
/// </summary>
internal sealed class CancelMoments(Random random)
{
    public const int WarmUp = 5;
    private TimeSpan _typical = TimeSpan.MaxValue;
    private double _scale = 1;

    /// <summary>Runs round <paramref name="round"/> of a race; true if the call completed, false if it was cancelled.</summary>
    public async Task<bool> Race(int round, Func<CancellationToken, Task> call)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var completed = await Completes(call, round < WarmUp ? null : _typical * _scale * 2 * random.NextDouble());
        if (round < WarmUp)
        {
            var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            _typical = took < _typical ? took : _typical;
        }
        else
        {
            _scale *= completed ? 0.8 : 1.25;
        }

        return completed;
    }

    /// <summary>
    /// Runs a call and cancels its token at <paramref name="cancelAt"/> from a thread of its own (spinning, not a timer,
    /// so that sub-millisecond moments are hit, and not a pool thread, which a busy test run could starve); true if the
    /// call completed, false if it was cancelled.
    /// </summary>
    private static async Task<bool> Completes(Func<CancellationToken, Task> call, TimeSpan? cancelAt)
    {
        using var source = new CancellationTokenSource();
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var canceller = cancelAt is { } moment
            ? Task.Factory.StartNew(
                () =>
                {
                    while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < moment)
                    {
                        Thread.SpinWait(20);
                    }

                    source.Cancel();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default)
            : Task.CompletedTask;
        try
        {
            await call(source.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            await canceller;
        }
    }
}
