using Xunit;

namespace MemoryContracts.Testing;

/// <summary>
/// Approval testing: the actual text must equal an approved file kept beside the tests (<c>*.verified.*</c> or
/// <c>*.expected</c>). On a mismatch the actual text is written beside it as the received file (<c>*.received.*</c>,
/// ignored by git) so it can be diffed or copied over; a match removes a stale one. Run with
/// <c>MEMORYCONTRACTS_ACCEPT=1</c> to write the actual text as the new approved version, and review the diff.
/// </summary>
public static class Approvals
{
    /// <summary>Whether this run accepts actual texts as the new approved versions.</summary>
    public static bool Accepting => Environment.GetEnvironmentVariable("MEMORYCONTRACTS_ACCEPT") == "1";

    /// <summary>Requires <paramref name="actual"/> to equal the approved file (or writes it, when accepting).</summary>
    public static void Verify(string actual, string approvedPath)
    {
        var received = ReceivedPath(approvedPath);
        if (Accepting)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(approvedPath)!);
            File.WriteAllText(approvedPath, actual);
            File.Delete(received);
            return;
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).Replace("\r\n", "\n", StringComparison.Ordinal) : null;
        if (approved == actual)
        {
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        Assert.True(approved is not null, $"No approved file {approvedPath}; the actual text is in {received}: review it, then run the tests with MEMORYCONTRACTS_ACCEPT=1.");
        Assert.Equal(approved, actual);
    }

    /// <summary>Where the received text of an approved file goes: <c>x.verified.txt</c> gives <c>x.received.txt</c>, <c>x.expected</c> gives <c>x.expected.received</c>.</summary>
    public static string ReceivedPath(string approvedPath)
    {
        var name = Path.GetFileName(approvedPath);
        var received = name.Contains(".verified.", StringComparison.Ordinal) ? name.Replace(".verified.", ".received.", StringComparison.Ordinal) : name + ".received";
        return Path.Combine(Path.GetDirectoryName(approvedPath)!, received);
    }
}
