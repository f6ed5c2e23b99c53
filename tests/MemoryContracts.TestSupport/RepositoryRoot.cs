namespace MemoryContracts.Testing;

/// <summary>The repository the tests run from: the folder above the test output that holds MemoryContracts.sln.</summary>
public static class RepositoryRoot
{
    /// <summary>Its full path.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "MemoryContracts.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("MemoryContracts.sln not found above " + AppContext.BaseDirectory);
    }
}
