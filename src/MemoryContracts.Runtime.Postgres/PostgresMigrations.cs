using System.Reflection;
using Npgsql;

namespace MemoryContracts.Runtime.Postgres;

/// <summary>
/// The versioned SQL migrations shipped in this assembly (<c>Migrations/NNNN_name.sql</c>), applied in order by an
/// explicit <see cref="Migrate"/>: each once, recorded in <c>memory_schema_migrations</c>, under a transaction-scoped
/// advisory lock, so running it twice or from two processes at once is safe.
/// </summary>
public static partial class PostgresMigrations
{
    private const long LockKey = 0x4D454D4F52594D43; // "MEMORYMC"

    /// <summary>Every migration, in version order.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> All { get; } = Load();

    /// <summary>
    /// Applies the migrations the database lacks; returns the versions applied now. Run it as the role that is to own
    /// the tables (the schema owner), and name the application's role in <paramref name="grantTo"/>: that role gets the
    /// row operations it needs and nothing more, so it can neither switch off row-level security, nor change a policy,
    /// nor delete or renumber a ledger row (the grants are made again on every run).
    /// </summary>
    public static IReadOnlyList<int> Migrate(string connectionString, string? grantTo = null)
    {
        if (grantTo is not null && !RoleName().IsMatch(grantTo))
        {
            throw new ArgumentException($"'{grantTo}' is not a plain role name (letters, digits and underscores)", nameof(grantTo));
        }

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

        if (grantTo is not null)
        {
            Execute(connection, Grants.Replace("{role}", "\"" + grantTo + "\"", StringComparison.Ordinal));
        }

        transaction.Commit();
        return now;
    }

    /// <summary>What the application's role may do: read and write rows, never change a table, a policy or a row's place in the ledger.</summary>
    private const string Grants = """
        DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO {role}', current_schema()); END $$;
        GRANT SELECT ON memory_schema_migrations TO {role};
        GRANT SELECT, INSERT ON memory_graphs, memory_plans, memory_audit TO {role};
        GRANT SELECT, INSERT, UPDATE ON memory_heads, memory_profiles, memory_snapshots, memory_audit_heads TO {role};
        GRANT SELECT, INSERT, UPDATE, DELETE ON memory_idempotency, memory_journals TO {role};
        GRANT SELECT, INSERT ON memory_events TO {role};
        GRANT UPDATE (status, status_note, status_at, status_mac, body, key_version, mac) ON memory_events TO {role};
        GRANT USAGE ON SEQUENCE memory_audit_position_seq TO {role};
        """;

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex RoleName();

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
