using MemoryContracts.Runtime.Hosting;

namespace MemoryContracts.Runtime.Postgres;

/// <summary>The PostgreSQL engine for <c>services.AddMemoryContracts(...)</c>.</summary>
public static class PostgresServiceOptions
{
    /// <summary>
    /// Keeps memory in PostgreSQL (a migrated database; see <see cref="PostgresMigrations"/>): one owner's rows, chained
    /// and signed with <paramref name="keys"/> (for example <see cref="IntegrityKeys.RequireFromEnvironment"/>), safe for
    /// many processes at once.
    /// </summary>
    public static MemoryContractsOptions UsePostgres(this MemoryContractsOptions options, string connectionString, IntegrityKeys keys, string owner) =>
        options.UseEngine((_, workspaceOptions) => PostgresWorkspace.Open(new PostgresStoreOptions(connectionString, owner, keys), workspaceOptions));
}
