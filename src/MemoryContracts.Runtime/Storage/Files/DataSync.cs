using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MemoryContracts.Runtime.Storage.Files;

/// <summary>
/// <c>fdatasync(2)</c>: flushes a file's data to disk with only the metadata needed to read it back, so overwriting
/// bytes the file already holds costs no journal commit for its size or times (Linux only).
/// </summary>
internal static partial class DataSync
{
    private const int Interrupted = 4; // EINTR

    /// <summary>Whether this platform has <c>fdatasync</c>; elsewhere callers flush with <see cref="FileStream.Flush(bool)"/>.</summary>
    public static bool IsAvailable => OperatingSystem.IsLinux();

    /// <summary>Flushes the file's data to disk; throws <see cref="IOException"/> when the disk reports an error.</summary>
    public static void Flush(SafeFileHandle file, string path)
    {
        while (FileDataSync(file) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error != Interrupted)
            {
                throw new IOException($"'{path}' could not be flushed to disk: {Marshal.GetPInvokeErrorMessage(error)}");
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FileDataSync(SafeFileHandle descriptor);
}
