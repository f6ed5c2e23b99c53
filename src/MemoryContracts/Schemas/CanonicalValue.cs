using System.Globalization;
using System.Text;
using MemoryContracts.Documents;

namespace MemoryContracts.Schemas;

/// <summary>
/// A value as one string that is equal exactly when JSON Schema calls two values equal (mappings in any key order,
/// 1 and 1.0 the same number): for <c>uniqueItems</c> and for <c>enum</c>/<c>const</c> values that are not scalars.
/// </summary>
internal static class CanonicalValue
{
    public static string Of(DocumentNode node)
    {
        var builder = new StringBuilder();
        AppendCanonical(builder, node);
        return builder.ToString();
    }

    private static void AppendCanonical(StringBuilder builder, DocumentNode node)
    {
        switch (node.Kind)
        {
            case DocumentValueKind.Mapping:
                builder.Append('{');
                foreach (var (key, value) in node.EnumerateProperties().OrderBy(pair => pair.Key.GetString(), StringComparer.Ordinal))
                {
                    builder.Append(key.GetString().Length).Append(':').Append(key.GetString());
                    AppendCanonical(builder, value);
                }

                builder.Append('}');
                break;
            case DocumentValueKind.Sequence:
                builder.Append('[');
                foreach (var item in node.EnumerateItems())
                {
                    AppendCanonical(builder, item);
                }

                builder.Append(']');
                break;
            case DocumentValueKind.Integer:
            case DocumentValueKind.Float:
                node.TryGetDouble(out var number);
                builder.Append('n').Append(number.ToString("R", CultureInfo.InvariantCulture)).Append(';');
                break;
            default:
                var text = node.GetString();
                builder.Append((char)('a' + (int)node.Kind)).Append(text.Length).Append(':').Append(text);
                break;
        }
    }
}
