using System.Collections.Concurrent;

namespace MemoryContracts.Testing;

/// <summary>
/// Temporary folders for tests (<c>mc-&lt;prefix&gt;-*</c> in the system's temporary folder), deleted when the test
/// process ends, so a run leaves nothing behind; set <c>MEMORYCONTRACTS_KEEP_TEMP=1</c> to keep them for a look.
/// </summary>
public static class TempFolders
{
    private static readonly ConcurrentDictionary<string, byte> Created = new(StringComparer.Ordinal);

    static TempFolders() => AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAll();

    /// <summary>A new empty folder, deleted after the run.</summary>
    public static string Create(string prefix)
    {
        var folder = Directory.CreateTempSubdirectory("mc-" + prefix + "-").FullName;
        Created.TryAdd(folder, 0);
        return folder;
    }

    private static void DeleteAll()
    {
        if (Environment.GetEnvironmentVariable("MEMORYCONTRACTS_KEEP_TEMP") == "1")
        {
            return;
        }

        foreach (var folder in Created.Keys)
        {
            try
            {
                MakeWritable(folder);
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A folder a test left mounted or locked stays; the system's temporary folder is cleaned in time.
            }
        }
    }

    /// <summary>Tests make files read-only (a full or read-only disk); deleting needs them writable again.</summary>
    private static void MakeWritable(string folder)
    {
        // Links are neither followed nor changed: a test may have planted one that points outside.
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", options))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }
}
