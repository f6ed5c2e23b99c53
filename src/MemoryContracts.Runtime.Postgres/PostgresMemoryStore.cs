using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Storage;
using MemoryContracts.Validation;
using Npgsql;
using NpgsqlTypes;

namespace MemoryContracts.Runtime.Postgres;

/// <summary>
/// The three ports on PostgreSQL, for one owner. Every event row is signed (HMAC-SHA256, chained: each MAC covers
/// the previous one); an append extends a graph's chain in one statement that also moves the graph's head from
/// the head it read, so concurrent writers in any number of processes can neither lose nor duplicate an event
/// (the loser re-reads the head and retries, or gets MC5011 when it asked for an expected position).
/// </summary>
public sealed partial class PostgresMemoryStore : IMemoryGraphStore, IMemoryEventLog, IAuditSink, IDisposable
{
    private const string Committed = "committed";

    private const string Pending = "pending";

    private const string Failed = "failed";

    private const string ListGraphsSql = "SELECT id FROM memory_graphs ORDER BY id COLLATE \"C\"";

    private const string SaveSnapshotSql = "INSERT INTO memory_snapshots (graph, seq, body) VALUES ($1, $2, $3) ON CONFLICT (owner, graph) DO UPDATE SET seq = EXCLUDED.seq, body = EXCLUDED.body";

    private const string LoadSnapshotSql = "SELECT body FROM memory_snapshots WHERE graph = $1";

    private const string SaveProfileSql = "INSERT INTO memory_profiles (id, body, key_version, mac) VALUES ($1, $2, $3, $4) ON CONFLICT (owner, id) DO UPDATE SET body = EXCLUDED.body, key_version = EXCLUDED.key_version, mac = EXCLUDED.mac";

    private const string CreateGraphSql = "INSERT INTO memory_graphs (id, header, key_version, mac) VALUES ($1, $2, $3, $4) ON CONFLICT (owner, id) DO NOTHING";

    private const string LoadProfileSql = "SELECT body, key_version, mac FROM memory_profiles WHERE id = $1";

    private const string SavePlanSql = "INSERT INTO memory_plans (graph, id, body, key_version, mac) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (owner, graph, id) DO NOTHING";

    private const string LoadPlanSql = "SELECT body, key_version, mac FROM memory_plans WHERE graph = $1 AND id = $2";

    private const string SaveJournalSql = "INSERT INTO memory_journals (graph, body, key_version, mac) VALUES ($1, $2, $3, $4) ON CONFLICT (owner, graph) DO UPDATE SET body = EXCLUDED.body, key_version = EXCLUDED.key_version, mac = EXCLUDED.mac";

    private const string ClearJournalSql = "DELETE FROM memory_journals WHERE graph = $1";

    private readonly NpgsqlDataSource _source;

    private readonly PostgresStoreOptions _options;

    private readonly ConcurrentDictionary<string, GroupCommit> _queues = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, (long Sequence, byte[] Mac)> _heads = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _auditGate = new(1, 1);

    /// <summary>Opens a store for one owner. Run <see cref="PostgresMigrations.Migrate"/> once before.</summary>
    public PostgresMemoryStore(PostgresStoreOptions options)
    {
        if (OwnerProblem(options.Owner) is { } problem)
        {
            throw new MemoryStoreException(DiagnosticCatalog.WorkspaceLayout.Create(SourceLocation.Origin("--owner"), problem));
        }

        _options = options;
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        }
        catch (ArgumentException exception)
        {
            throw new MemoryStoreException(DiagnosticCatalog.PostgresSetup.Create(SourceLocation.Origin("--postgres"), $"the connection string is not one Npgsql reads ({exception.Message.TrimEnd('.')})", "write it as Host=...;Port=5432;Username=...;Password=...;Database=... (a postgres:// URL is not read)"));
        }

        builder.ConnectionStringBuilder.IncludeErrorDetail = true;

        // The store runs a handful of statements over and over; prepared once per physical connection, the server
        // parses and plans each one once (the append statement's plan is most of a single writer's overhead). A
        // connection string that sets Max Auto Prepare itself (0 turns it off) is left as it is.
        if (!builder.ConnectionStringBuilder.ShouldSerialize("Max Auto Prepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        // The owner travels as a query parameter on every new physical connection, never inside the connection string,
        // and the session keeps it (no reset when a connection goes back to this owner's pool).
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.UsePhysicalConnectionInitializer(
            connection =>
            {
                using var command = new NpgsqlCommand("SELECT set_config('memorycontracts.owner', $1, false)", connection);
                command.Parameters.AddWithValue(options.Owner);
                command.ExecuteNonQuery();
            },
            async connection =>
            {
                await using var command = new NpgsqlCommand("SELECT set_config('memorycontracts.owner', $1, false)", connection);
                command.Parameters.AddWithValue(options.Owner);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            });
        _source = builder.Build();
    }

    /// <summary>Checks that the database is reachable and migrated to every migration this version knows (MC5030 otherwise).</summary>
    public void RequireMigrated() => PostgresSetup.RequireMigrated(_source, $"postgres:{Owner}");

    /// <summary>Why an owner name cannot be used (empty, too long, or holding a control, format or NUL character), or null.</summary>
    public static string? OwnerProblem(string owner) =>
        string.IsNullOrWhiteSpace(owner) ? "an owner is needed: --owner <name>"
        : owner.Length > 256 ? $"the owner name is {owner.Length} characters long; at most 256"
        : owner.Any(character => char.IsControl(character) || char.GetUnicodeCategory(character) is System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.Surrogate)
            ? "the owner name holds a control, format or unpaired surrogate character; owners are plain names"
            : null;

    /// <summary>The owner this store reads and writes for.</summary>
    public string Owner => _options.Owner;

    /// <inheritdoc />
    public void SaveProfile(MemoryProfile profile) => Execute(SaveProfileSql, ProfileRow(profile));

    /// <inheritdoc />
    public async ValueTask SaveProfileAsync(MemoryProfile profile, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(SaveProfileSql, cancellationToken, ProfileRow(profile)).ConfigureAwait(false);

    /// <summary>The parameters of a profile row: id, body, and the body's MAC under the current key.</summary>
    private object?[] ProfileRow(MemoryProfile profile)
    {
        var body = Encoding.UTF8.GetString(MemoryJson.WriteProfile(profile));
        return [profile.Id, body, _options.Keys.Current, _options.Keys.SignItem(_options.Keys.Current, Owner, "profile", profile.Id, body)];
    }

    /// <inheritdoc />
    public MemoryProfile? LoadProfile(string id) =>
        SignedItem(LoadProfileSql, "profile", id, id) is { } body ? ReadProfile(id, body) : null;

    /// <inheritdoc />
    public async ValueTask<MemoryProfile?> LoadProfileAsync(string id, CancellationToken cancellationToken = default) =>
        await SignedItemAsync(LoadProfileSql, "profile", id, cancellationToken, id).ConfigureAwait(false) is { } body ? ReadProfile(id, body) : null;

    private MemoryProfile ReadProfile(string id, string body)
    {
        var result = new ContractValidator().Validate($"postgres:{Owner}/profiles/{id}", Encoding.UTF8.GetBytes(body));
        return result.Profile ?? throw new MemoryStoreException(result.Diagnostics.Where(diagnostic => diagnostic.IsError).ToArray());
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListProfiles() => Strings("SELECT id FROM memory_profiles ORDER BY id COLLATE \"C\"");

    /// <inheritdoc />
    public void CreateGraph(GraphHeader header) => Execute(CreateGraphSql, HeaderRow(header));

    /// <inheritdoc />
    public async ValueTask CreateGraphAsync(GraphHeader header, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(CreateGraphSql, cancellationToken, HeaderRow(header)).ConfigureAwait(false);

    /// <summary>The parameters of a graph row: id, header, and the header's MAC under the current key.</summary>
    private object?[] HeaderRow(GraphHeader header)
    {
        var body = Encoding.UTF8.GetString(MemoryJson.WriteHeader(header));
        return [header.Id, body, _options.Keys.Current, _options.Keys.SignItem(_options.Keys.Current, Owner, "graph", header.Id, body)];
    }

    /// <inheritdoc />
    public GraphHeader? LoadGraph(string id) =>
        SignedItem("SELECT header, key_version, mac FROM memory_graphs WHERE id = $1", "graph", id, id) is { } header ? Read($"graphs/{id}", header, MemoryJson.ReadHeader) : null;

    /// <inheritdoc />
    public async ValueTask<GraphHeader?> LoadGraphAsync(string id, CancellationToken cancellationToken = default) =>
        await SignedItemAsync("SELECT header, key_version, mac FROM memory_graphs WHERE id = $1", "graph", id, cancellationToken, id).ConfigureAwait(false) is { } header ? Read($"graphs/{id}", header, MemoryJson.ReadHeader) : null;

    /// <inheritdoc />
    public IReadOnlyList<string> ListGraphs() => Strings(ListGraphsSql);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListGraphsAsync(CancellationToken cancellationToken = default) =>
        await StringsAsync(ListGraphsSql, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public void SaveSnapshot(GraphSnapshot snapshot) =>
        Execute(SaveSnapshotSql, snapshot.GraphId, snapshot.Sequence, Encoding.UTF8.GetString(MemoryJson.WriteSnapshot(snapshot)));

    /// <inheritdoc />
    public async ValueTask SaveSnapshotAsync(GraphSnapshot snapshot, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(SaveSnapshotSql, cancellationToken, snapshot.GraphId, snapshot.Sequence, Encoding.UTF8.GetString(MemoryJson.WriteSnapshot(snapshot))).ConfigureAwait(false);

    /// <inheritdoc />
    public GraphSnapshot? LoadSnapshot(string graphId) =>
        Scalar<string>(LoadSnapshotSql, graphId) is { } body ? Read($"snapshots/{graphId}", body, MemoryJson.ReadSnapshot) : null;

    /// <inheritdoc />
    public async ValueTask<GraphSnapshot?> LoadSnapshotAsync(string graphId, CancellationToken cancellationToken = default) =>
        await ScalarAsync<string>(LoadSnapshotSql, cancellationToken, graphId).ConfigureAwait(false) is { } body ? Read($"snapshots/{graphId}", body, MemoryJson.ReadSnapshot) : null;

    /// <inheritdoc />
    public void SavePlan(string graphId, string planId, byte[] content) => Execute(SavePlanSql, PlanRow(graphId, planId, content));

    /// <inheritdoc />
    public async ValueTask SavePlanAsync(string graphId, string planId, byte[] content, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(SavePlanSql, cancellationToken, PlanRow(graphId, planId, content)).ConfigureAwait(false);

    /// <inheritdoc />
    public byte[]? LoadPlan(string graphId, string planId) =>
        SignedItem(LoadPlanSql, "plan", graphId + "/" + planId, graphId, planId) is { } body ? Encoding.UTF8.GetBytes(body) : null;

    /// <inheritdoc />
    public async ValueTask<byte[]?> LoadPlanAsync(string graphId, string planId, CancellationToken cancellationToken = default) =>
        await SignedItemAsync(LoadPlanSql, "plan", graphId + "/" + planId, cancellationToken, graphId, planId).ConfigureAwait(false) is { } body ? Encoding.UTF8.GetBytes(body) : null;

    /// <inheritdoc />
    public void SaveJournal(string graphId, byte[]? content)
    {
        if (content is null)
        {
            Execute(ClearJournalSql, graphId);
        }
        else
        {
            Execute(SaveJournalSql, JournalRow(graphId, content));
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveJournalAsync(string graphId, byte[]? content, CancellationToken cancellationToken = default) =>
        await (content is null ? ExecuteAsync(ClearJournalSql, cancellationToken, graphId) : ExecuteAsync(SaveJournalSql, cancellationToken, JournalRow(graphId, content))).ConfigureAwait(false);

    /// <summary>The parameters of a plan row: graph, id, body, and the body's MAC under the current key.</summary>
    private object?[] PlanRow(string graphId, string planId, byte[] content)
    {
        var body = Encoding.UTF8.GetString(content);
        return [graphId, planId, body, _options.Keys.Current, _options.Keys.SignItem(_options.Keys.Current, Owner, "plan", graphId + "/" + planId, body)];
    }

    /// <summary>The parameters of a journal row: graph, body, and the body's MAC under the current key.</summary>
    private object?[] JournalRow(string graphId, byte[] content)
    {
        var body = Encoding.UTF8.GetString(content);
        return [graphId, body, _options.Keys.Current, _options.Keys.SignItem(_options.Keys.Current, Owner, "journal", graphId, body)];
    }

    /// <inheritdoc />
    public byte[]? LoadJournal(string graphId) =>
        SignedItem("SELECT body, key_version, mac FROM memory_journals WHERE graph = $1", "journal", graphId, graphId) is { } body ? Encoding.UTF8.GetBytes(body) : null;

    /// <inheritdoc />
    public string LocationOf(string graphId) => $"postgres:{Owner}/{graphId}";

    /// <inheritdoc />
    public void Dispose() => _source.Dispose();

    /// <summary>Disposes a connection, transaction or reader the way the write runs: asynchronously, or blocking.</summary>
    private static async ValueTask ReleaseAsync(bool useAsync, IDisposable? resource)
    {
        if (useAsync && resource is IAsyncDisposable asynchronous)
        {
            await asynchronous.DisposeAsync().ConfigureAwait(false);
        }
        else
        {
            resource?.Dispose();
        }
    }

    private async ValueTask<NpgsqlConnection> OpenAsync(bool useAsync) =>
        useAsync ? await _source.OpenConnectionAsync().ConfigureAwait(false) : _source.OpenConnection();

    private static async ValueTask<int> ExecuteAsync(bool useAsync, NpgsqlCommand command) =>
        useAsync ? await command.ExecuteNonQueryAsync().ConfigureAwait(false) : command.ExecuteNonQuery();

    /// <summary>
    /// Reads a signed item (body, key version, MAC) and checks its MAC; an edited, unsigned or foreign-key row is
    /// MC5016, never trusted. Null when there is no such row.
    /// </summary>
    private string? SignedItem(string sql, string item, string id, params object?[] values)
    {
        using var connection = _source.OpenConnection();
        using var command = Command(connection, sql, values);
        using var reader = command.ExecuteReader();
        return reader.Read() ? Verified(reader, item, id) : null;
    }

    /// <inheritdoc cref="SignedItem" />
    private async ValueTask<string?> SignedItemAsync(string sql, string item, string id, CancellationToken cancellationToken, params object?[] values)
    {
        var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, sql, values);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Verified(reader, item, id) : null;
            }
        }
    }

    /// <summary>The body of a signed row (body, key version, MAC) once its MAC checks out; MC5016 otherwise.</summary>
    private string Verified(NpgsqlDataReader reader, string item, string id)
    {
        var body = reader.GetString(0);
        var version = reader.IsDBNull(1) ? null : reader.GetString(1);
        var mac = reader.IsDBNull(2) ? null : (byte[])reader.GetValue(2);
        var expected = version is null ? null : _options.Keys.SignItem(version, Owner, item, id, body);
        if (mac is null || expected is null || !CryptographicOperations.FixedTimeEquals(mac, expected))
        {
            var why = mac is null ? "it has no MAC (written before migration 2, or by hand); write it again"
                : expected is null ? $"it is signed with key version '{version}', which the key ring lacks"
                : "its MAC does not match its content: it was changed outside MemoryContracts";
            throw new MemoryStoreException(DiagnosticCatalog.ItemIntegrityBroken.Create(SourceLocation.Origin($"postgres:{Owner}/{item}s/{id}"), item, id, why));
        }

        return body;
    }

    private static NpgsqlParameter Texts(IEnumerable<string?> values) =>
        new() { Value = values.Select(value => (object?)value ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.AddWithValue(value ?? DBNull.Value);
        }

        return command;
    }

    private int Execute(string sql, params object?[] values)
    {
        using var connection = _source.OpenConnection();
        using var command = Command(connection, sql, values);
        return command.ExecuteNonQuery();
    }

    private T? Scalar<T>(string sql, params object?[] values)
    {
        using var connection = _source.OpenConnection();
        using var command = Command(connection, sql, values);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default : (T)value;
    }

    private async ValueTask<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, sql, values);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<IReadOnlyList<string>> StringsAsync(string sql, CancellationToken cancellationToken)
    {
        var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(sql, connection);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var values = new List<string>();
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    values.Add(reader.GetString(0));
                }

                return values;
            }
        }
    }

    private async ValueTask<T?> ScalarAsync<T>(string sql, CancellationToken cancellationToken, params object?[] values)
    {
        var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, sql, values);
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is null or DBNull ? default : (T)value;
        }
    }

    private IReadOnlyList<string> Strings(string sql)
    {
        using var connection = _source.OpenConnection();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
