namespace MemoryContracts.Text;

/// <summary>Finds the first byte that is not part of well-formed UTF-8.</summary>
internal static class Utf8Validation
{
    /// <summary>Returns the offset of the first invalid byte at or after <paramref name="start"/>, or -1 when all are valid.</summary>
    public static int FindFirstInvalid(byte[] bytes, int start)
    {
#if NET8_0_OR_GREATER
        var span = bytes.AsSpan(start);
        if (System.Text.Unicode.Utf8.IsValid(span))
        {
            return -1;
        }
#endif
        var i = start;
        while (i < bytes.Length)
        {
            var b = bytes[i];
            if (b < 0x80)
            {
                i++;
                continue;
            }

            int length;
            int minimum;
            if ((b & 0xE0) == 0xC0)
            {
                length = 2;
                minimum = 0x80;
            }
            else if ((b & 0xF0) == 0xE0)
            {
                length = 3;
                minimum = 0x800;
            }
            else if ((b & 0xF8) == 0xF0)
            {
                length = 4;
                minimum = 0x10000;
            }
            else
            {
                return i;
            }

            if (i + length > bytes.Length)
            {
                return i;
            }

            var codePoint = b & (0x7F >> length);
            for (var k = 1; k < length; k++)
            {
                var continuation = bytes[i + k];
                if ((continuation & 0xC0) != 0x80)
                {
                    return i;
                }

                codePoint = (codePoint << 6) | (continuation & 0x3F);
            }

            if (codePoint < minimum || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                return i;
            }

            i += length;
        }

        return -1;
    }
}
