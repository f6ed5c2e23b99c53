using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

/// <summary><c>fdatasync(2)</c> for the raw baseline the log's reserve is measured against (Linux; a full flush elsewhere, as the log does).</summary>
internal static partial class RawDataSync
{
    public static void Flush(FileStream file)
    {
        if (!OperatingSystem.IsLinux())
        {
            file.Flush(flushToDisk: true);
        }
        else if (FileDataSync(file.SafeFileHandle) != 0)
        {
            throw new IOException($"fdatasync failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
    }

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int FileDataSync(SafeFileHandle descriptor);
}
