namespace MemoryContracts.Tests;

/// <summary>Finds files of the repository from the test output folder.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string TestsRoot => Path.Combine(Root, "tests", "MemoryContracts.Tests");


    public static string Examples(string name) => Path.Combine(Root, "examples", "memory", name);

    public static string DiagnosticFixtures => Path.Combine(TestsRoot, "Fixtures", "Diagnostics");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "MemoryContracts.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MemoryContracts.sln not found above " + AppContext.BaseDirectory);
    }
}
