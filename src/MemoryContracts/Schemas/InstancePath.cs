using System.Globalization;
using System.Text;

namespace MemoryContracts.Schemas;

/// <summary>The path from the root to the value being validated; formatted only when a violation is reported.</summary>
internal sealed class InstancePath
{
    private readonly List<(string? Name, int Index)> _segments = new();

    public void Push(string name) => _segments.Add((name, -1));

    public void Push(int index) => _segments.Add((null, index));

    public void Pop() => _segments.RemoveAt(_segments.Count - 1);

    /// <summary>The JSON pointer, such as <c>/nodes/3/kind</c>, with an optional extra property.</summary>
    public string ToPointer(string? extra = null)
    {
        var builder = new StringBuilder();
        foreach (var (name, index) in _segments)
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
    public string ToDisplay()
    {
        if (_segments.Count == 0)
        {
            return "the document";
        }

        var builder = new StringBuilder("'");
        foreach (var (name, index) in _segments)
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
