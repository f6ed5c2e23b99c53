using System.Reflection;
using Npgsql;

namespace MemoryContracts.Runtime.Postgres;

/// <summary>
/// The versioned SQL migrations shipped in this assembly (<c>Migrations/NNNN_name.sql</c>), applied in order by an
/// explicit <see cref="Migrate"/>: each once, recorded in <c>memory_schema_migrations</c>, under a transaction-scoped
/// advisory lock, so running it twice or from two processes at once is safe.
/// </summary>
public static class PostgresMigrations
{
    private const long LockKey = 0x4D454D4F52594D43; // "MEMORYMC"

    /// <summary>Every migration, in version order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> All { get; } = Load();

    /// <summary>Applies the migrations the database lacks; returns the versions applied now.</summary>
    public static IReadOnlyList<int> Migrate(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({LockKey})");
        Execute(connection, "CREATE TABLE IF NOT EXISTS memory_schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        var applied = new HashSet<int>();
        using (var read = new NpgsqlCommand("SELECT version FROM memory_schema_migrations", connection))
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        var now = new List<int>();
        foreach (var (version, name, sql) in All.Where(migration => !applied.Contains(migration.Version)))
        {
            Execute(connection, sql);
            using var record = new NpgsqlCommand("INSERT INTO memory_schema_migrations (version, name) VALUES ($1, $2)", connection);
            record.Parameters.AddWithValue(version);
            record.Parameters.AddWithValue(name);
            record.ExecuteNonQuery();
            now.Add(version);
        }

        transaction.Commit();
        return now;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static IReadOnlyList<(int Version, string Name, string Sql)> Load()
    {
        var assembly = typeof(PostgresMigrations).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith("migrations/", StringComparison.Ordinal))
            .Select(name =>
            {
                var file = name["migrations/".Length..^".sql".Length];
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return (int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture), file, reader.ReadToEnd());
            })
            .OrderBy(migration => migration.Item1)
            .ToArray();
    }
}
