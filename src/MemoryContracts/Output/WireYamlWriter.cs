using System.Text;
using MemoryContracts.Documents;

namespace MemoryContracts.Output;

/// <summary>
/// Writes <see cref="WireValue"/>s as block-style YAML with two-space indentation. Strings stay plain only
/// when the YAML 1.2 core schema reads them back as the same string; otherwise they are double-quoted.
/// </summary>
internal static class WireYamlWriter
{
    /// <summary>Writes a value as YAML.</summary>
    public static string Write(WireValue value)
    {
        var builder = new StringBuilder();
        if (value is WireObject or WireArray && !IsEmpty(value))
        {
            WriteBlock(builder, value, 0);
        }
        else
        {
            builder.Append(Inline(value)).Append('\n');
        }

        return builder.ToString();
    }

    private static void WriteBlock(StringBuilder builder, WireValue value, int indent)
    {
        if (value is WireObject obj)
        {
            foreach (var (key, child) in obj.Properties.Select(pair => (pair.Key, pair.Value)))
            {
                builder.Append(' ', indent * 2).Append(Scalar(key)).Append(':');
                WriteChild(builder, child, indent + 1);
            }

            return;
        }

        foreach (var item in ((WireArray)value).Items)
        {
            builder.Append(' ', indent * 2).Append('-');
            if (item is WireObject itemObject && itemObject.Properties.Count > 0)
            {
                // The first property shares the dash's line; the rest align under it.
                var nested = new StringBuilder();
                WriteBlock(nested, item, indent + 1);
                builder.Append(' ').Append(nested.ToString().Substring((indent + 1) * 2));
            }
            else
            {
                WriteChild(builder, item, indent + 1);
            }
        }
    }

    private static void WriteChild(StringBuilder builder, WireValue child, int indent)
    {
        if (child is WireObject or WireArray && !IsEmpty(child))
        {
            builder.Append('\n');
            WriteBlock(builder, child, indent);
        }
        else
        {
            builder.Append(' ').Append(Inline(child)).Append('\n');
        }
    }

    private static bool IsEmpty(WireValue value) => value switch
    {
        WireObject obj => obj.Properties.Count == 0,
        WireArray array => array.Items.Count == 0,
        _ => false,
    };

    private static string Inline(WireValue value) => value switch
    {
        WireObject => "{}",
        WireArray => "[]",
        WireString text => Scalar(text.Value),
        WireNumber number => number.Text,
        WireBoolean boolean => boolean.Value ? "true" : "false",
        _ => "null",
    };

    private static string Scalar(string text)
    {
        if (IsPlainSafe(text))
        {
            return text;
        }

        var builder = new StringBuilder();
        WireJsonWriter.AppendString(builder, text);
        return builder.ToString();
    }

    /// <summary>Strings that YAML 1.1 readers (still common) would read as timestamps, booleans or sexagesimal numbers.</summary>
    private static bool LooksTypedInYaml11(string text) =>
        Yaml11Typed.IsMatch(text) || text.Length <= 5 && Yaml11Words.Contains(text.ToLowerInvariant());

    private static readonly System.Text.RegularExpressions.Regex Yaml11Typed = new(@"^(\d{4}-\d{1,2}-\d{1,2}|[-+]?\d[\d_]*(:[0-5]?\d)+(\.\d*)?|[-+]?[\d_]+)", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static readonly HashSet<string> Yaml11Words = new(StringComparer.Ordinal) { "y", "n", "yes", "no", "on", "off" };

    private static bool IsPlainSafe(string text)
    {
        if (text.Length == 0 || ScalarSyntax.ResolvePlain(text) != DocumentValueKind.String || text[0] == ' ' || text[text.Length - 1] == ' ' || LooksTypedInYaml11(text))
        {
            return false;
        }

        if ("-?:,[]{}#&*!|>'\"%@`".IndexOf(text[0]) >= 0)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < ' ' || c == '\u007f' || c == '\u0085' || c == '\u2028' || c == '\u2029' || c == '\ufeff')
            {
                return false;
            }

            if ((c == ':' && (i + 1 == text.Length || text[i + 1] == ' ')) || (c == '#' && text[i - 1] == ' '))
            {
                return false;
            }
        }

        return true;
    }
}
