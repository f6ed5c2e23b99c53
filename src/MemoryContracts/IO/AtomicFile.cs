using System.Runtime.InteropServices;
using System.Text;

namespace MemoryContracts.IO;

/// <summary>Writes files so that a reader sees either the old content or the new, never a torn file, even after a crash.</summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes UTF-8 text (no byte order mark) atomically; see <see cref="WriteAllBytes"/>.</summary>
    public static void WriteAllText(string path, string content) => WriteAllBytes(path, Utf8NoBom.GetBytes(content));

    /// <summary>
    /// Writes bytes to a temporary file beside the target, flushes it to disk, renames it over the target, then
    /// flushes the directory (on Unix) so that the rename itself survives a power loss.
    /// </summary>
    public static void WriteAllBytes(string path, byte[] content)
    {
        var temporary = Temporary(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }

            MoveIntoPlace(temporary, path);
        }
        finally
        {
            DeleteIfLeft(temporary);
        }
    }

    /// <summary>
    /// Writes bytes atomically as <see cref="WriteAllBytes"/> does, writing the content asynchronously (the flushes to
    /// disk stay synchronous). <paramref name="cancellationToken"/> is observed until the rename: a cancelled write
    /// leaves the target as it was and no temporary file behind.
    /// </summary>
    public static async Task WriteAllBytesAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = Temporary(path);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await stream.WriteAsync(content, 0, content.Length, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            cancellationToken.ThrowIfCancellationRequested();
            MoveIntoPlace(temporary, path);
        }
        finally
        {
            DeleteIfLeft(temporary);
        }
    }

    /// <summary>A new temporary file name beside the target (its folder created).</summary>
    private static string Temporary(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
    }

    /// <summary>Renames the flushed temporary file over the target, then flushes the folder so the rename is durable.</summary>
    private static void MoveIntoPlace(string temporary, string path)
    {
        if (File.Exists(path))
        {
            File.Replace(temporary, path, destinationBackupFileName: null);
        }
        else
        {
            File.Move(temporary, path);
        }

        FlushDirectory(Path.GetDirectoryName(temporary)!);
    }

    private static void DeleteIfLeft(string temporary)
    {
        if (File.Exists(temporary))
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Flushes a directory's entries to disk (Unix); renames and new files in it are durable afterwards.</summary>
    public static void FlushDirectory(string directory)
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return;
        }

        var descriptor = Native.open(directory, 0);
        if (descriptor < 0)
        {
            throw new IOException($"cannot open directory '{directory}' to flush it (errno {Marshal.GetLastWin32Error()})");
        }

        try
        {
            if (Native.fsync(descriptor) != 0)
            {
                throw new IOException($"cannot flush directory '{directory}' (errno {Marshal.GetLastWin32Error()})");
            }
        }
        finally
        {
            _ = Native.close(descriptor);
        }
    }

    private static class Native
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);

        [DllImport("libc", SetLastError = true)]
        public static extern int fsync(int descriptor);

        [DllImport("libc", SetLastError = true)]
        public static extern int close(int descriptor);
    }
}
