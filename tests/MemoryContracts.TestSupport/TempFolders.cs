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

    /// <remarks>
    /// The test host may be stopped soon after its last test, so on Unix the folders go to a child process that
    /// outlives it (<c>chmod -R u+rwX</c> for folders a test made read-only, then <c>rm -rf</c>; neither follows links).
    /// </remarks>
    private static void DeleteAll()
    {
        var folders = Created.Keys.Where(Directory.Exists).ToArray();
        if (folders.Length == 0 || Environment.GetEnvironmentVariable("MEMORYCONTRACTS_KEEP_TEMP") == "1")
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            var sweep = new System.Diagnostics.ProcessStartInfo("sh") { UseShellExecute = false };
            foreach (var argument in new[] { "-c", "chmod -R u+rwX -- \"$@\" 2>/dev/null; rm -rf -- \"$@\"", "sh" }.Concat(folders))
            {
                sweep.ArgumentList.Add(argument);
            }

            System.Diagnostics.Process.Start(sweep)?.Dispose();
            return;
        }

        foreach (var folder in folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A folder a test left locked stays; the system's temporary folder is cleaned in time.
            }
        }
    }
}
