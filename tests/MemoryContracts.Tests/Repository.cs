namespace MemoryContracts.Tests;

/// <summary>Finds files of the repository from the test output folder.</summary>
internal static class Repository
{
    public static string Root => RepositoryRoot.Path;

    public static string TestsRoot => Path.Combine(Root, "tests", "MemoryContracts.Tests");

    public static string Examples(string name) => Path.Combine(Root, "examples", "memory", name);

    public static string DiagnosticFixtures => Path.Combine(TestsRoot, "Fixtures", "Diagnostics");
}
