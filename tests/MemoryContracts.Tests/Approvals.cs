using Xunit;

namespace MemoryContracts.Tests;

/// <summary>
/// Hand-rolled approval testing: the actual text must equal a <c>*.verified.*</c> (or <c>.expected</c>) file kept
/// beside the tests. Run with <c>MEMORYCONTRACTS_ACCEPT=1</c> to write the actual text as the new approved
/// version; review the diff before committing it.
/// </summary>
internal static class Approvals
{
    public static bool Accepting => Environment.GetEnvironmentVariable("MEMORYCONTRACTS_ACCEPT") == "1";

    public static void Verify(string actual, string approvedPath)
    {
        if (Accepting)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(approvedPath)!);
            File.WriteAllText(approvedPath, actual);
            return;
        }

        Assert.True(File.Exists(approvedPath), $"No approved file {approvedPath}; run the tests with MEMORYCONTRACTS_ACCEPT=1 and review it.");
        var approved = File.ReadAllText(approvedPath).Replace("\r\n", "\n");
        Assert.Equal(approved, actual);
    }
}
