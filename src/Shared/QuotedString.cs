using System.Globalization;
using System.Text;

namespace MemoryContracts.Text;

/// <summary>
/// Writes a double-quoted string literal that is valid JSON and valid C# alike: quotes, backslashes and control
/// characters are escaped, everything else is kept as it is. Linked into the library and the generator.
/// </summary>
internal static class QuotedString
{
    public static StringBuilder Append(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < ' ')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"');
    }
}
