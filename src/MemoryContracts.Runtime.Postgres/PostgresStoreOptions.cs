namespace MemoryContracts.Runtime.Postgres;

/// <summary>Where and as whom a PostgreSQL store works.</summary>
/// <param name="ConnectionString">An Npgsql connection string.</param>
/// <param name="Owner">The owner whose rows this store reads and writes; the database enforces it (row-level security).</param>
/// <param name="Keys">The integrity keys.</param>
public sealed record PostgresStoreOptions(string ConnectionString, string Owner, IntegrityKeys Keys)
{
    /// <summary>How long an idempotency key holds its first outcome.</summary>
    public TimeSpan IdempotencyLifetime { get; init; } = TimeSpan.FromHours(48);
}
