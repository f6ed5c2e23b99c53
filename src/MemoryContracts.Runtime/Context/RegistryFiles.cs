using MemoryContracts.IO;

namespace MemoryContracts.Runtime.Context;

/// <summary>The registry's own files (package, recipe, lifecycle log) read and written blocking or asynchronously, on one code path.</summary>
internal static class RegistryFiles
{
    /// <summary>A file's bytes.</summary>
    public static async ValueTask<byte[]> ReadAsync(bool useAsync, string path, CancellationToken cancellationToken) =>
        useAsync ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : File.ReadAllBytes(path);

    /// <summary>Replaces a file atomically and durably; a write is never cancelled half-way, so it takes no token.</summary>
    public static async ValueTask WriteAsync(bool useAsync, string path, byte[] content)
    {
        if (useAsync)
        {
            await AtomicFile.WriteAllBytesAsync(path, content, CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            AtomicFile.WriteAllBytes(path, content);
        }
    }
}
