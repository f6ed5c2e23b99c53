namespace MemoryContracts.Generators.Tests;

/// <summary>Finds files of the repository from the test output folder.</summary>
internal static class Repository
{
    public static string Root => RepositoryRoot.Path;

    public static string Approvals => Path.Combine(Root, "tests", "MemoryContracts.Generators.Tests", "Approvals");

    public static string Example(string name) => File.ReadAllText(Path.Combine(Root, "examples", "memory", name));
}
