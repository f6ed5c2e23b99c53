using System.Net.Sockets;
using MemoryContracts.Diagnostics;
using Npgsql;

namespace MemoryContracts.Runtime.Postgres;

/// <summary>
/// Turns the ways a PostgreSQL store can be set up wrong (a server that cannot be reached, refused credentials, a
/// missing database, a database not migrated, a role without grants) into MC5030 with what to do, never a stack trace
/// or a driver's exception type.
/// </summary>
public static class PostgresSetup
{
    /// <summary>MC5030 for a set-up problem behind <paramref name="exception"/>, or null when it is something else.</summary>
    public static ContractDiagnostic? Diagnose(Exception exception, string location = "--postgres")
    {
        var at = SourceLocation.Origin(location);
        return exception switch
        {
            PostgresException { SqlState: "28P01" or "28000" } refused => DiagnosticCatalog.PostgresSetup.Create(at, $"the server refused the credentials ({refused.MessageText})", "check Username and Password in the connection string"),
            PostgresException { SqlState: "3D000" } missing => DiagnosticCatalog.PostgresSetup.Create(at, $"the database does not exist ({missing.MessageText})", "create it (createdb), then run 'dotnet memory store migrate --postgres <connection-string>' as its owner"),
            PostgresException { SqlState: "42P01" } table => DiagnosticCatalog.PostgresSetup.Create(at, $"the database is not migrated ({table.MessageText})", "run 'dotnet memory store migrate --postgres <connection-string>' as the schema owner"),
            PostgresException { SqlState: "42501" } denied => DiagnosticCatalog.PostgresSetup.Create(at, $"the role may not do this ({denied.MessageText})", "let the schema owner grant it: 'dotnet memory store migrate --postgres <owner-connection-string> --grant-to <role>'"),
            NpgsqlException { InnerException: SocketException or TimeoutException or IOException } unreachable => DiagnosticCatalog.PostgresSetup.Create(at, $"cannot reach the server ({unreachable.Message.TrimEnd('.')})", "is PostgreSQL running and listening there? check Host and Port in the connection string"),
            _ => null,
        };
    }

    /// <summary>
    /// Checks that the database is migrated to every migration this version knows (MC5030 otherwise, or for any other
    /// set-up problem met on the way).
    /// </summary>
    public static void RequireMigrated(NpgsqlDataSource source, string location)
    {
        try
        {
            using var connection = source.OpenConnection();
            using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM memory_schema_migrations", connection);
            var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            var latest = PostgresMigrations.All[^1].Version;
            if (version < latest)
            {
                throw new MemoryStoreException(DiagnosticCatalog.PostgresSetup.Create(SourceLocation.Origin(location), $"the database is migrated to version {version}, this version needs {latest}", "run 'dotnet memory store migrate --postgres <connection-string>' as the schema owner"));
            }
        }
        catch (Exception exception) when (exception is not MemoryStoreException && Diagnose(exception, location) is { } problem)
        {
            throw new MemoryStoreException(problem);
        }
    }
}
