using Xunit;

namespace MemoryContracts.Runtime.Tests;

/// <summary>Issue 13, the audit paragraph: the file audit log is hash-chained and repair verifies the chain.</summary>
public sealed class AuditChainTests : IDisposable
{
    private readonly string _folder = TestSupport.TempFolder("audit-chain");

    private string Workspace => Path.Combine(_folder, "ws");

    private string AuditFile => Path.Combine(Workspace, "audit.jsonl");

    public AuditChainTests()
    {
        TestSupport.Run(out _, "store", "init", "-w", Workspace);
        TestSupport.Run(out _, "store", "import", "-w", Workspace, TestSupport.Write(_folder, "kb.yaml", TestSupport.KnowledgeGraph), TestSupport.Write(_folder, "profile.yaml", TestSupport.Profile));
        for (var index = 0; index < 3; index++)
        {
            TestSupport.Run(out _, "store", "retrieve", "-w", Workspace, "-g", "kb", "--node", "decision", "--actor", "agent-" + index);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void An_untouched_audit_log_verifies_and_every_line_carries_its_chain_value()
    {
        Assert.Equal(0, TestSupport.Run(out var repair, "store", "repair", "-w", Workspace));
        Assert.Equal("0 error(s), 0 warning(s)\n", repair);
        Assert.All(File.ReadAllLines(AuditFile), line => Assert.Matches(",\"chain\":\"[0-9a-f]{64}\"}$", line));
        Assert.Equal(["import", "import", "retrieve", "retrieve", "retrieve"], ReadActions());
    }

    [Theory]
    [InlineData("edit")]
    [InlineData("insert")]
    [InlineData("remove")]
    [InlineData("insert unchained")]
    public void A_line_forged_into_the_middle_is_reported_by_repair(string forgery)
    {
        var lines = File.ReadAllLines(AuditFile).ToList();
        switch (forgery)
        {
            case "edit":
                lines[2] = lines[2].Replace("agent-0", "mallory", StringComparison.Ordinal);
                break;
            case "insert":
                lines.Insert(2, lines[3]);
                break;
            case "remove":
                lines.RemoveAt(2);
                break;
            default:
                lines.Insert(2, lines[3][..lines[3].IndexOf(",\"chain\"", StringComparison.Ordinal)] + "}");
                break;
        }

        File.WriteAllLines(AuditFile, lines);
        Assert.Equal(1, TestSupport.Run(out var repair, "store", "repair", "-w", Workspace));
        Assert.Contains("audit.jsonl(3,1): error MC5016: row 3 (event '(audit)') of graph '(audit)': the audit line", repair, StringComparison.Ordinal);
    }

    private string[] ReadActions()
    {
        using var workspace = MemoryWorkspace.Open(Workspace);
        return workspace.AuditTrail().Select(record => record.Action).ToArray();
    }
}
