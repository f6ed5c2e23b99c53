namespace MemoryContracts.Documents;

/// <summary>The four bytes JSON allows between tokens (space, tab, line feed, carriage return).</summary>
internal static class JsonWhitespace
{
    /// <summary>The offset of the first byte at or after <paramref name="at"/> that is not JSON whitespace; the array's length if there is none.</summary>
    public static int Skip(byte[] bytes, int at)
    {
        while (at < bytes.Length && bytes[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            at++;
        }

        return at;
    }
}
