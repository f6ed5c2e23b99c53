using System.Text;
using MemoryContracts.Text;

namespace MemoryContracts.Output;

/// <summary>Writes <see cref="WireValue"/>s as JSON with two-space indentation, LF line ends and a final newline.</summary>
internal static class WireJsonWriter
{
    /// <summary>Writes a value as indented JSON.</summary>
    public static string Write(WireValue value)
    {
        var builder = new StringBuilder();
        Write(builder, value, 0);
        return builder.Append('\n').ToString();
    }

    private static void Write(StringBuilder builder, WireValue value, int indent)
    {
        switch (value)
        {
            case WireObject obj:
                if (obj.Properties.Count == 0)
                {
                    builder.Append("{}");
                    return;
                }

                builder.Append("{\n");
                for (var i = 0; i < obj.Properties.Count; i++)
                {
                    Indent(builder, indent + 1);
                    AppendString(builder, obj.Properties[i].Key);
                    builder.Append(": ");
                    Write(builder, obj.Properties[i].Value, indent + 1);
                    builder.Append(i + 1 < obj.Properties.Count ? ",\n" : "\n");
                }

                Indent(builder, indent);
                builder.Append('}');
                return;
            case WireArray array:
                if (array.Items.Count == 0)
                {
                    builder.Append("[]");
                    return;
                }

                builder.Append("[\n");
                for (var i = 0; i < array.Items.Count; i++)
                {
                    Indent(builder, indent + 1);
                    Write(builder, array.Items[i], indent + 1);
                    builder.Append(i + 1 < array.Items.Count ? ",\n" : "\n");
                }

                Indent(builder, indent);
                builder.Append(']');
                return;
            case WireString text:
                AppendString(builder, text.Value);
                return;
            case WireNumber number:
                builder.Append(number.Text);
                return;
            case WireBoolean boolean:
                builder.Append(boolean.Value ? "true" : "false");
                return;
        }
    }

    private static void Indent(StringBuilder builder, int indent) => builder.Append(' ', indent * 2);

    /// <summary>Appends a JSON string literal; only quotes, backslashes and control characters are escaped.</summary>
    internal static void AppendString(StringBuilder builder, string value) => QuotedString.Append(builder, value);
}
