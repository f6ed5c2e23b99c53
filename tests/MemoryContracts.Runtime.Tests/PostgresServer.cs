using Npgsql;
using MemoryContracts.Runtime.Postgres;
using Xunit;
using Xunit.Sdk;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// The PostgreSQL server the tests run against: <c>MEMORYCONTRACTS_POSTGRES</c> names a throwaway database
/// (<c>.ci/run</c> starts a local PostgreSQL 15 and sets it). Without it, Postgres tests are skipped and say why.
/// </summary>
internal static class PostgresServer
{
    public const string Variable = "MEMORYCONTRACTS_POSTGRES";

    private static readonly Lazy<string> Migrated = new(() =>
    {
        PostgresMigrations.Migrate(OwnerConnectionString!, grantTo: ApplicationRole);
        return ConnectionString!;
    });

    /// <summary>The connection string, after the migrations have run on it (once per test run).</summary>
    public static string MigratedConnectionString => Migrated.Value;

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>The application's role: the user of <see cref="ConnectionString"/>.</summary>
    public static string ApplicationRole => new NpgsqlConnectionStringBuilder(ConnectionString).Username!;

    /// <summary>
    /// The schema owner's connection string (it runs the migrations and owns the tables): <c>MEMORYCONTRACTS_POSTGRES_OWNER</c>,
    /// or the same server and database as <see cref="ConnectionString"/> with the user and password <c>memorycontracts_owner</c>
    /// that <c>.ci/postgres</c> creates.
    /// </summary>
    public static string? OwnerConnectionString => Environment.GetEnvironmentVariable(Variable + "_OWNER") is { Length: > 0 } value ? value
        : ConnectionString is null ? null
        : new NpgsqlConnectionStringBuilder(ConnectionString) { Username = "memorycontracts_owner", Password = "memorycontracts_owner" }.ConnectionString;

    public static IntegrityKeys Keys { get; } = new("v1", new Dictionary<string, byte[]> { ["v1"] = "test-key-version-1-0123456789"u8.ToArray() });

    /// <summary>A store for a fresh owner of its own, on the migrated database.</summary>
    public static PostgresMemoryStore Store(string? owner = null, IntegrityKeys? keys = null) =>
        new(new PostgresStoreOptions(Migrated.Value, owner ?? NewOwner(), keys ?? Keys));

    public static string NewOwner() => "test-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Runs one SQL statement as the test role, as an attacker with the application's credentials could; the owner setting when given.</summary>
    public static object? Sql(string connectionString, string? owner, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (owner is not null)
        {
            builder.Options = "-c memorycontracts.owner=" + owner;
        }

        using var connection = new NpgsqlConnection(builder.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }
}

/// <summary>A fact that needs the PostgreSQL server; skipped, with the reason, when there is none.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    /// <remarks>A skipped test is named with its reason (<see cref="SkipReason"/>).</remarks>
    public PostgresFactAttribute([System.Runtime.CompilerServices.CallerFilePath] string file = "", [System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        if (PostgresServer.ConnectionString is null)
        {
            SkipReason.Apply(this, $"no PostgreSQL server: set {PostgresServer.Variable} to a throwaway database's connection string (.ci/run does) to run the PostgreSQL tests", file, test);
        }
    }
}

/// <summary>Marks a test class that runs against the PostgreSQL server.</summary>
public interface IPostgresTests
{
}

/// <summary>
/// A conformance fact: it runs for every adapter's subclass of the suite, and is skipped with the reason for the
/// PostgreSQL subclass when there is no server.
/// </summary>
[XunitTestCaseDiscoverer("MemoryContracts.Runtime.Tests.ConformanceFactDiscoverer", "MemoryContracts.Runtime.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ConformanceFactAttribute : FactAttribute
{
}

/// <summary>Discovers <see cref="ConformanceFactAttribute"/> tests, skipping those of PostgreSQL classes without a server.</summary>
public sealed class ConformanceFactDiscoverer(Xunit.Abstractions.IMessageSink diagnostics) : Xunit.Sdk.IXunitTestCaseDiscoverer
{
    public IEnumerable<Xunit.Sdk.IXunitTestCase> Discover(Xunit.Abstractions.ITestFrameworkDiscoveryOptions discoveryOptions, Xunit.Abstractions.ITestMethod testMethod, Xunit.Abstractions.IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        if (typeof(IPostgresTests).IsAssignableFrom(testMethod.TestClass.Class.ToRuntimeType()) && PostgresServer.ConnectionString is null)
        {
            yield return new Xunit.Sdk.XunitSkippedDataRowTestCase(diagnostics, display, displayOptions, testMethod, new PostgresFactAttribute().Skip, null);
        }
        else
        {
            yield return new Xunit.Sdk.XunitTestCase(diagnostics, display, displayOptions, testMethod);
        }
    }
}
