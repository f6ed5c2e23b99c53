namespace MemoryContracts.Runtime;

/// <summary>Where a replay stops: after the record of an event, or at a time.</summary>
public sealed record ReplayCutoff
{
    private ReplayCutoff(string? eventId, DateTimeOffset? time)
    {
        EventId = eventId;
        Time = time;
    }

    /// <summary>The event whose record is the last one replayed, if the cutoff is an event.</summary>
    public string? EventId { get; }

    /// <summary>The latest record time replayed, if the cutoff is a time.</summary>
    public DateTimeOffset? Time { get; }

    /// <summary>Replays up to and including the record of this event.</summary>
    public static ReplayCutoff AfterEvent(string eventId) => new(eventId, null);

    /// <summary>Replays the records whose time is at or before this time, in log order.</summary>
    public static ReplayCutoff At(DateTimeOffset time) => new(null, time);
}
