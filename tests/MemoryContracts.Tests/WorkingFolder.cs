using System.Runtime.CompilerServices;

namespace MemoryContracts.Tests;

/// <summary>
/// The tests run the command line from the repository root, as a user does: its default <c>--root</c> is the
/// current folder, and the example catalog's references must lie inside it.
/// </summary>
internal static class WorkingFolder
{
    [ModuleInitializer]
    internal static void StartAtTheRepositoryRoot() => Environment.CurrentDirectory = Repository.Root;
}
