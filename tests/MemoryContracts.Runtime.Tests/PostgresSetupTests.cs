using MemoryContracts.Runtime.Postgres;
using Npgsql;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>Issue 18, finding 8: every PostgreSQL set-up mistake is MC5030 with what to do, never a stack trace or MC9001.</summary>
public sealed class PostgresSetupTests
{
    [Theory]
    [InlineData("v1=", null, "the key of version 'v1' has 0 bytes; an integrity key needs at least 16")]
    [InlineData("v1=not-base64!!", null, "the key of version 'v1' is not base64")]
    [InlineData("garbage", null, "entry 1 is not version=base64")]
    [InlineData("v1=AAAAAAAAAAA=", null, "the key of version 'v1' has 8 bytes; an integrity key needs at least 16")]
    [InlineData(" ; ", null, "it names no key")]
    [InlineData("v1=MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3", "v9", "MEMORYCONTRACTS_HMAC_CURRENT names version 'v9', which the ring lacks")]
    public void A_key_ring_that_cannot_be_used_is_MC5030_with_the_entry_and_a_hint(string ring, string? current, string problem)
    {
        var refused = Assert.Throws<MemoryStoreException>(() => IntegrityKeys.Parse(ring, current));
        Assert.Equal("MC5030", refused.Code);
        Assert.Equal($"MEMORYCONTRACTS_HMAC_KEYS: error MC5030: {problem}; set it to version=base64-key pairs separated by ';' (the last one current), each key at least 16 random bytes, for example v1=$(head -c 32 /dev/urandom | base64)", refused.Diagnostics[0].ToString());
    }

    [PostgresFact]
    public void Connection_mistakes_on_the_command_line_are_MC5030_with_a_hint()
    {
        Environment.SetEnvironmentVariable("MEMORYCONTRACTS_HMAC_KEYS", "v1=" + Convert.ToBase64String("cli-test-key-0123456789abcdef"u8.ToArray()));
        var good = new NpgsqlConnectionStringBuilder(PostgresServer.MigratedConnectionString);
        string With(Action<NpgsqlConnectionStringBuilder> change)
        {
            var builder = new NpgsqlConnectionStringBuilder(good.ConnectionString);
            change(builder);
            return builder.ConnectionString;
        }

        var cases = new (string Connection, string Expected)[]
        {
            (With(builder => builder.Port = 1), "error MC5030: cannot reach the server (Failed to connect to 127.0.0.1:1); is PostgreSQL running and listening there? check Host and Port in the connection string"),
            (With(builder => builder.Password = "wrong"), $"error MC5030: the server refused the credentials (password authentication failed for user \"{good.Username}\"); check Username and Password in the connection string"),
            (With(builder => builder.Database = "memorycontracts_no_such_database"), "error MC5030: the database does not exist (database \"memorycontracts_no_such_database\" does not exist); create it (createdb), then run 'dotnet memory store migrate --postgres <connection-string>' as its owner"),
            (With(builder => builder.SearchPath = "memorycontracts_no_such_schema"), "error MC5030: the database is not migrated (relation \"memory_schema_migrations\" does not exist); run 'dotnet memory store migrate --postgres <connection-string>' as the schema owner"),
            ("postgres://user:secret@localhost/db", "--postgres: error MC5030: the connection string is not one Npgsql reads"),
        };
        foreach (var (connection, expected) in cases)
        {
            Assert.Equal(1, TestSupport.Run(out var output, "store", "graphs", "--postgres", connection, "--owner", PostgresServer.NewOwner()));
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(expected, line, StringComparison.Ordinal);
            Assert.DoesNotContain("MC9001", line, StringComparison.Ordinal);
        }
    }
}
