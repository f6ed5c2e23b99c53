namespace MemoryContracts.IO;

/// <summary>
/// Reads whole files. A large one is read in two halves at once: copying a file out of the system's cache costs
/// mostly the first touch of each page of the new array, and two threads touch them in little more than half the time.
/// </summary>
internal static class FileBytes
{
    /// <summary>Files from this size are read in two halves when the machine has a second core.</summary>
    internal const int SplitThreshold = 8 << 20;

    /// <summary>Reads a file's bytes, as <see cref="File.ReadAllBytes"/> does (the same exceptions for the same problems).</summary>
    public static byte[] ReadAll(string path)
    {
#if NET
        using (var handle = File.OpenHandle(path))
        {
            var length = RandomAccess.GetLength(handle);
            if (IsReadInHalves(length))
            {
                var bytes = GC.AllocateUninitializedArray<byte>((int)length);
                var half = bytes.Length / 2;
                var second = Task.Run(() => ReadExactly(handle, bytes, half, bytes.Length - half));
                var first = ReadExactly(handle, bytes, 0, half);
                if (second.GetAwaiter().GetResult() && first)
                {
                    return bytes;
                }
            }
        }
#endif

        // Small, or the file shrank while it was read: read it whole as it is now.
        return File.ReadAllBytes(path);
    }

    /// <summary>Reads a file's bytes asynchronously, as <see cref="ReadAll"/> does.</summary>
    public static async ValueTask<byte[]> ReadAllAsync(string path, CancellationToken cancellationToken)
    {
#if NET
        using (var handle = File.OpenHandle(path, options: FileOptions.Asynchronous))
        {
            var length = RandomAccess.GetLength(handle);
            if (IsReadInHalves(length))
            {
                var bytes = GC.AllocateUninitializedArray<byte>((int)length);
                var half = bytes.Length / 2;
                var read = await Task.WhenAll(
                    ReadExactlyAsync(handle, bytes, 0, half, cancellationToken),
                    ReadExactlyAsync(handle, bytes, half, bytes.Length - half, cancellationToken)).ConfigureAwait(false);
                if (read[0] && read[1])
                {
                    return bytes;
                }
            }
        }

        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
#else
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        var content = new byte[stream.Length];
        var read = 0;
        while (read < content.Length)
        {
            var count = await stream.ReadAsync(content, read, content.Length - read, cancellationToken).ConfigureAwait(false);
            if (count == 0)
            {
                Array.Resize(ref content, read);
                break;
            }

            read += count;
        }

        return content;
#endif
    }

#if NET
    /// <summary>Whether a file of this length is read in two halves: large, within an array's bounds, and with a second core to read on.</summary>
    private static bool IsReadInHalves(long length) => length >= SplitThreshold && length <= Array.MaxLength && Environment.ProcessorCount > 1;

    /// <summary>Fills <c>bytes[offset..offset+count)</c> from the same offset of the file; false if the file ends first.</summary>
    private static bool ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] bytes, int offset, int count)
    {
        while (count > 0)
        {
            var read = RandomAccess.Read(handle, bytes.AsSpan(offset, count), offset);
            if (read == 0)
            {
                return false;
            }

            offset += read;
            count -= read;
        }

        return true;
    }

    private static async Task<bool> ReadExactlyAsync(Microsoft.Win32.SafeHandles.SafeFileHandle handle, byte[] bytes, int offset, int count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var read = await RandomAccess.ReadAsync(handle, bytes.AsMemory(offset, count), offset, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            offset += read;
            count -= read;
        }

        return true;
    }
#endif
}
