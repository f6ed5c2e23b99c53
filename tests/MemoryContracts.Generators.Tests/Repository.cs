namespace MemoryContracts.Generators.Tests;

/// <summary>Finds files of the repository from the test output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Approvals => Path.Combine(Root, "tests", "MemoryContracts.Generators.Tests", "Approvals");

    public static string Example(string name) => File.ReadAllText(Path.Combine(Root, "examples", "memory", name));

    /// <summary>Writes the actual text when MEMORYCONTRACTS_ACCEPT=1, else requires it to equal the approved file.</summary>
    public static void Verify(string actual, string approvedPath)
    {
        if (Environment.GetEnvironmentVariable("MEMORYCONTRACTS_ACCEPT") == "1")
        {
            File.WriteAllText(approvedPath, actual);
            return;
        }

        Xunit.Assert.True(File.Exists(approvedPath), $"No approved file {approvedPath}; run with MEMORYCONTRACTS_ACCEPT=1 and review it.");
        Xunit.Assert.Equal(File.ReadAllText(approvedPath).Replace("\r\n", "\n"), actual);
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MemoryContracts.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MemoryContracts.sln not found");
    }
}
