using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace MemoryContracts.Runtime.Toolbelt;

/// <summary>
/// Reads and writes files under a root without ever following a link, and without a window between a check and the
/// use: on Linux every path component is opened relative to its parent's descriptor with <c>O_NOFOLLOW</c>
/// (<c>openat</c>), so a folder swapped for a link after the guard looked is refused, not followed; a file is read
/// only when it is a regular file with one hard link (a hard link made beforehand cannot expose a file from
/// elsewhere); a write goes to a new temporary file in the opened folder, is fsync'd and renamed over the target in
/// that same folder (<c>renameat</c>), then the folder is fsync'd. Elsewhere it checks every component for links
/// just before the use (a narrower guarantee, stated in docs/toolbelt.md). A link or a hard-linked file is MC5019.
/// </summary>
internal sealed partial class ConfinedFiles(string root)
{
    private const int AtEmptyPath = 0x1000;
    private const int StatxType = 0x1;
    private const int StatxNlink = 0x4;
    private const int ErrorNoEntry = 2;
    private const int ErrorNotDirectory = 20;
    private const int ErrorExists = 17;
    private const int ErrorLoop = 40;
    private const ushort FileTypeMask = 0xF000;
    private const ushort RegularFile = 0x8000;

    private static readonly bool UseDescriptors = OperatingSystem.IsLinux()
        && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64 or Architecture.X86 or Architecture.Arm;

    // The open flags Linux defines differently on x86 and on ARM.
    private static readonly int Directory = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;
    private static readonly int NoFollow = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;
    private const int ReadOnly = 0;
    private const int WriteOnly = 1;
    private const int Create = 0x40;
    private const int Exclusive = 0x80;
    private const int CloseOnExec = 0x80000;

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The text of a file, or null when there is none; MC5019 when a link or a second hard link is on the way.</summary>
    public string? ReadText(string relative)
    {
        if (!UseDescriptors)
        {
            var full = CheckedPath(relative);
            return File.Exists(full) ? File.ReadAllText(full) : null;
        }

        var (folders, name) = Split(relative);
        using var folder = OpenFolder(folders, create: false);
        if (folder is null)
        {
            return null;
        }

        var descriptor = OpenAt(folder, name, ReadOnly | NoFollow | CloseOnExec, 0);
        if (descriptor < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == ErrorNoEntry ? null : throw Refused(relative, error);
        }

        using var handle = new SafeFileHandle(descriptor, ownsHandle: true);
        RequireSingleRegularFile(handle, relative);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Replaces (or creates) a file atomically with the text, creating missing folders; MC5019 when a link is on the way.</summary>
    public void WriteText(string relative, string content)
    {
        if (!UseDescriptors)
        {
            IO.AtomicFile.WriteAllText(CheckedPath(relative), content);
            return;
        }

        var (folders, name) = Split(relative);
        using var folder = OpenFolder(folders, create: true)!;
        var temporary = $".~{name}.{Guid.NewGuid():N}.tmp";
        var descriptor = OpenAt(folder, temporary, WriteOnly | Create | Exclusive | NoFollow | CloseOnExec, Convert.ToInt32("644", 8));
        if (descriptor < 0)
        {
            throw new IOException($"'{relative}' could not be written: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            using (var handle = new SafeFileHandle(descriptor, ownsHandle: true))
            using (var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0))
            {
                stream.Write(Encoding.UTF8.GetBytes(content));
                stream.Flush(flushToDisk: true);
            }

            if (RenameAt(folder, temporary, folder, name) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                throw new IOException($"'{relative}' could not be written: {Marshal.GetPInvokeErrorMessage(error)}");
            }

            descriptor = -1;
            _ = Fsync(folder);
        }
        finally
        {
            if (descriptor >= 0 || File.Exists(Path.Combine(Root, Path.Combine(folders), temporary)))
            {
                _ = UnlinkAt(folder, temporary, 0);
            }
        }
    }

    private static (string[] Folders, string Name) Split(string relative)
    {
        var segments = relative.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return (segments[..^1], segments[^1]);
    }

    /// <summary>Opens the folder chain one component at a time without following links; null when a folder is missing and not created.</summary>
    private SafeFileHandle? OpenFolder(string[] folders, bool create)
    {
        var current = Open(Root, ReadOnly | Directory | CloseOnExec, 0);
        if (current < 0)
        {
            throw new IOException($"the memory root '{Root}' cannot be opened: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var handle = new SafeFileHandle(current, ownsHandle: true);
        var walked = string.Empty;
        foreach (var folder in folders)
        {
            walked = walked.Length == 0 ? folder : walked + "/" + folder;
            var next = OpenAt(handle, folder, ReadOnly | Directory | NoFollow | CloseOnExec, 0);
            if (next < 0 && Marshal.GetLastPInvokeError() == ErrorNoEntry && create)
            {
                if (MakeDirectoryAt(handle, folder, Convert.ToInt32("755", 8)) != 0 && Marshal.GetLastPInvokeError() != ErrorExists)
                {
                    var failure = Marshal.GetLastPInvokeError();
                    handle.Dispose();
                    throw new IOException($"'{walked}' could not be created: {Marshal.GetPInvokeErrorMessage(failure)}");
                }

                next = OpenAt(handle, folder, ReadOnly | Directory | NoFollow | CloseOnExec, 0);
            }

            if (next < 0)
            {
                var error = Marshal.GetLastPInvokeError();
                handle.Dispose();
                return error == ErrorNoEntry && !create ? null : throw Refused(walked, error);
            }

            handle.Dispose();
            handle = new SafeFileHandle(next, ownsHandle: true);
        }

        return handle;
    }

    private static void RequireSingleRegularFile(SafeFileHandle handle, string relative)
    {
        var buffer = new byte[256];
        if (Statx(handle, string.Empty, AtEmptyPath, StatxType | StatxNlink, buffer) != 0)
        {
            throw new IOException($"'{relative}' cannot be examined: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }

        var links = BitConverter.ToUInt32(buffer, 16);
        var mode = BitConverter.ToUInt16(buffer, 28);
        if ((mode & FileTypeMask) != RegularFile)
        {
            throw PathGuard.Block($"'{relative}' is not a regular file");
        }

        if (links != 1)
        {
            throw PathGuard.Block($"'{relative}' has {links} hard links; a file linked from elsewhere could expose what lies outside the memory root");
        }
    }

    private static MemoryStoreException Refused(string relative, int error) => error is ErrorLoop or ErrorNotDirectory
        ? PathGuard.Block($"'{relative}' is (or goes through) a symbolic link or is not a folder; links could lead outside the memory root")
        : new MemoryStoreException(Diagnostics.DiagnosticCatalog.OperationBlocked.Create(Diagnostics.SourceLocation.Origin("toolbelt"), $"'{relative}' cannot be opened: {Marshal.GetPInvokeErrorMessage(error)}"));

    /// <summary>Where the descriptors are not used: the full path, after checking that no component is a link or a hard-linked file.</summary>
    private string CheckedPath(string relative)
    {
        var walked = Root;
        foreach (var segment in relative.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            walked = Path.Combine(walked, segment);
            FileSystemInfo info = System.IO.Directory.Exists(walked) ? new DirectoryInfo(walked) : new FileInfo(walked);
            if (info.Exists && info.LinkTarget is not null)
            {
                throw Refused(relative, ErrorLoop);
            }
        }

        return walked;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenAt(SafeFileHandle directory, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MakeDirectoryAt(SafeFileHandle directory, string path, int mode);

    [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt(SafeFileHandle fromDirectory, string from, SafeFileHandle toDirectory, string to);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int UnlinkAt(SafeFileHandle directory, string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(SafeFileHandle descriptor);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(SafeFileHandle directory, string path, int flags, int mask, byte[] buffer);
}
