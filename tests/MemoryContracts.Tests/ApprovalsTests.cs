using Xunit;
using Xunit.Sdk;

namespace MemoryContracts.Tests;

/// <summary>Issue 14: an approval mismatch leaves the received text beside the approved file; a match removes it.</summary>
public sealed class ApprovalsTests
{
    [Fact]
    public void A_mismatch_writes_the_received_file_and_a_match_removes_it()
    {
        if (Approvals.Accepting)
        {
            return; // MEMORYCONTRACTS_ACCEPT=1 rewrites approved files instead of comparing them
        }

        var folder = TempFolders.Create("approvals");
        var approved = Path.Combine(folder, "graph.verified.txt");
        File.WriteAllText(approved, "one\n");

        Assert.Throws<EqualException>(() => Approvals.Verify("two\n", approved));
        Assert.Equal("two\n", File.ReadAllText(Path.Combine(folder, "graph.received.txt")));
        Assert.Equal("one\n", File.ReadAllText(approved));

        Approvals.Verify("one\n", approved);
        Assert.False(File.Exists(Path.Combine(folder, "graph.received.txt")));

        var missing = Path.Combine(folder, "package.expected");
        Assert.Contains("package.expected.received", Assert.ThrowsAny<XunitException>(() => Approvals.Verify("new\n", missing)).Message, StringComparison.Ordinal);
        Assert.Equal("new\n", File.ReadAllText(missing + ".received"));
    }
}
