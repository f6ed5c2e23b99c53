using System.Globalization;
using System.Text;
using MemoryContracts.Documents;

namespace MemoryContracts.Schemas;

/// <summary>Formats the path of a value, computed from the document only when a violation is reported.</summary>
internal static class InstancePath
{
    /// <summary>The JSON pointer, such as <c>/nodes/3/kind</c>, with an optional extra property.</summary>
    public static string ToPointer(DocumentNode node, string? extra = null)
    {
        var builder = new StringBuilder();
        foreach (var (name, index) in node.GetPath())
        {
            builder.Append('/').Append(name is null ? index.ToString(CultureInfo.InvariantCulture) : Escape(name));
        }

        if (extra is not null)
        {
            builder.Append('/').Append(Escape(extra));
        }

        return builder.ToString();
    }

    /// <summary>The path for people, such as <c>'nodes[3].kind'</c>, or "the document" at the root.</summary>
    public static string ToDisplay(DocumentNode node)
    {
        var path = node.GetPath();
        if (path.Count == 0)
        {
            return "the document";
        }

        var builder = new StringBuilder("'");
        foreach (var (name, index) in path)
        {
            if (name is null)
            {
                builder.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                if (builder.Length > 1)
                {
                    builder.Append('.');
                }

                builder.Append(name);
            }
        }

        return builder.Append('\'').ToString();
    }

    private static string Escape(string name) => name.Replace("~", "~0").Replace("/", "~1");
}
