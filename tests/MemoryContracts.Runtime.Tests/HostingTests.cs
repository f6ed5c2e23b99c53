using MemoryContracts.Runtime.Context;
using MemoryContracts.Runtime.Hosting;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Runtime.Retrieval;
using MemoryContracts.Runtime.Toolbelt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Issue 14: <c>services.AddMemoryContracts(...)</c> in a real container: each engine chosen by options (code or
/// configuration), the host's clock, policy gateway and logger factory used, the container disposing the workspace.
/// </summary>
public sealed class HostingTests
{
    private readonly string _folder = TestSupport.TempFolder("hosting");

    [Fact]
    public void The_container_builds_a_file_workspace_with_the_hosts_clock_and_logging_and_disposes_it()
    {
        var clock = new ManualClock(DateTimeOffset.Parse("2026-11-21T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddMemoryContracts(options =>
            {
                options.UseFiles(Path.Combine(_folder, "ledger"));
                options.Registry = Path.Combine(_folder, "registry");
                options.MemoryRoot = Path.Combine(_folder, "memory");
                options.AllowedPaths = ["notes"];
            });
        using (var provider = services.BuildServiceProvider())
        {
            var workspace = provider.GetRequiredService<MemoryWorkspace>();
            Assert.Same(workspace, provider.GetRequiredService<MemoryWorkspace>());
            workspace.Import(TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "service");
            Assert.Equal("2026-11-21T12:00:00.000Z", workspace.AuditTrail().Single().At);
            Assert.IsType<LabelPolicy>(provider.GetRequiredService<IPolicyGateway>());
            Assert.Equal(Path.Combine(_folder, "registry"), provider.GetRequiredService<ContextRegistry>().Root);
            var toolbelt = provider.GetRequiredService<MemoryToolbelt>();
            Assert.Equal("MC5019", Assert.Throws<MemoryStoreException>(() => toolbelt.Write(new ToolRequest { Path = "users/x.md", Content = "x" })).Code);
            toolbelt.Write(new ToolRequest { Path = "notes/x.md", Content = "# X\n" });
        }

        // Disposed with the container: the folder's lock is free again.
        using var reopened = MemoryWorkspace.Open(Path.Combine(_folder, "ledger"), new WorkspaceOptions { LockTimeout = TimeSpan.Zero });
        Assert.Equal(["kb", "toolbelt"], reopened.Graphs);
    }

    [Fact]
    public void Options_bind_from_configuration_and_a_missing_engine_or_memory_folder_says_what_to_set()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MemoryContracts:Workspace"] = Path.Combine(_folder, "configured"),
            ["MemoryContracts:LockTimeout"] = "00:00:02",
            ["MemoryContracts:MemoryRoot"] = Path.Combine(_folder, "memory"),
            ["MemoryContracts:AllowedPaths:0"] = "users",
        }).Build();
        using (var provider = new ServiceCollection().AddMemoryContracts(configuration.GetSection("MemoryContracts")).BuildServiceProvider())
        {
            Assert.Equal(Path.Combine(_folder, "configured"), provider.GetRequiredService<MemoryWorkspace>().Location);
            var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MemoryContractsOptions>>().Value;
            Assert.Equal(TimeSpan.FromSeconds(2), options.LockTimeout);
            Assert.Equal(["users"], options.AllowedPaths);
            Assert.Equal("MC5019", Assert.Throws<MemoryStoreException>(() => provider.GetRequiredService<MemoryToolbelt>().Read(new ToolRequest { Path = "notes/a.md" })).Code);
        }

        using var empty = new ServiceCollection().AddMemoryContracts(_ => { }).BuildServiceProvider();
        Assert.Contains("call UseFiles(folder) or UsePostgres(...)", Assert.Throws<InvalidOperationException>(() => empty.GetRequiredService<MemoryWorkspace>()).Message, StringComparison.Ordinal);
        using var noToolbelt = new ServiceCollection().AddMemoryContracts(options => options.UseFiles(Path.Combine(_folder, "other"))).BuildServiceProvider();
        Assert.Contains("MemoryRoot", Assert.Throws<InvalidOperationException>(() => noToolbelt.GetRequiredService<MemoryToolbelt>()).Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public void The_container_builds_a_PostgreSQL_workspace_with_UsePostgres()
    {
        var owner = PostgresServer.NewOwner();
        using var provider = new ServiceCollection().AddMemoryContracts(options => options.UsePostgres(PostgresServer.MigratedConnectionString, PostgresServer.Keys, owner)).BuildServiceProvider();
        var workspace = provider.GetRequiredService<MemoryWorkspace>();
        Assert.Equal($"postgres:{owner}", workspace.Location);
        workspace.Import(TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), "service");
        Assert.Contains(workspace.Nodes("kb"), node => node.Id == "decision");
    }
}
