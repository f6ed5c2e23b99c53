using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace MemoryContracts.Runtime.Tests;

/// <summary>
/// Every public property of a model value, recursively, as text: a comparison that does not go through any of the
/// product's writers, so a field a writer or reader drops shows up as a difference. <c>Origin</c> (where a fixture
/// defined the element) is left out: it names a file, not a value that is stored.
/// </summary>
internal static class ModelDump
{
    public static string Of(object? value)
    {
        var text = new StringBuilder();
        Write(text, value, 0);
        return text.ToString();
    }

    /// <summary>Names of the properties of <paramref name="value"/>'s tree that hold nothing (null or empty).</summary>
    public static IEnumerable<string> Unset(object value, string at = "")
    {
        foreach (var property in Properties(value.GetType()))
        {
            var held = property.GetValue(value);
            var name = at + property.Name;
            if (held is null || (held is ICollection { Count: 0 }))
            {
                yield return name;
            }
            else if (!IsLeaf(held) && held is not IEnumerable)
            {
                foreach (var inner in Unset(held, name + "."))
                {
                    yield return inner;
                }
            }
        }
    }

    private static void Write(StringBuilder text, object? value, int depth)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                return;
            case string s:
                text.Append('"').Append(s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('"');
                return;
            case IFormattable formattable when IsLeaf(value):
                text.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                return;
            case IEnumerable items:
                text.Append('[');
                foreach (var item in items)
                {
                    Indent(text, depth + 1);
                    Write(text, item, depth + 1);
                }

                Indent(text, depth);
                text.Append(']');
                return;
        }

        var type = value.GetType();
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(KeyValuePair<,>))
        {
            Write(text, type.GetProperty("Key")!.GetValue(value), depth);
            text.Append(": ");
            Write(text, type.GetProperty("Value")!.GetValue(value), depth);
            return;
        }

        text.Append(type.Name).Append(" {");
        foreach (var property in Properties(type))
        {
            Indent(text, depth + 1);
            text.Append(property.Name).Append(" = ");
            Write(text, property.GetValue(value), depth + 1);
        }

        Indent(text, depth);
        text.Append('}');
    }

    private static bool IsLeaf(object value) => value.GetType() is var type && (type.IsPrimitive || type.IsEnum || value is decimal or string);

    private static IEnumerable<PropertyInfo> Properties(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(property => property.GetIndexParameters().Length == 0 && property.Name is not ("Origin" or "EqualityContract"))
        .OrderBy(property => property.MetadataToken);

    private static void Indent(StringBuilder text, int depth) => text.Append('\n').Append(' ', depth * 2);
}
