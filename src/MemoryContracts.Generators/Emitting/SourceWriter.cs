using System.Text;

namespace MemoryContracts.Generators.Emitting;

/// <summary>Writes indented C# with LF line ends.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public SourceWriter Line(string line = "")
    {
        if (line.Length > 0)
        {
            _text.Append(' ', _indent * 4).Append(line);
        }

        _text.Append('\n');
        return this;
    }

    public SourceWriter Open(string line)
    {
        Line(line).Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    public SourceWriter Summary(string text) => Line("/// <summary>" + Xml(text) + "</summary>");

    /// <summary>
    /// Starts a line at the current indentation and returns the text to append the rest to, line end included: for
    /// what is written thousands of times (a graph's id constants), without a string per line.
    /// </summary>
    public StringBuilder StartLine() => _text.Append(' ', _indent * 4);

    /// <summary>Appends <see cref="Xml"/> of the value.</summary>
    public static StringBuilder AppendXml(StringBuilder text, string value) =>
        value.IndexOfAny(XmlSpecial) < 0 ? text.Append(value) : text.Append(Xml(value));

    /// <summary>Text for an XML doc comment on one line: markup characters escaped, line breaks made spaces.</summary>
    public static string Xml(string text) =>
        text.IndexOfAny(XmlSpecial) < 0 ? text : text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\r", " ").Replace("\n", " ");

    public static string Literal(string text) => MemoryContracts.Text.QuotedString.Append(new StringBuilder(), text).ToString();

    private static readonly char[] XmlSpecial = ['&', '<', '>', '\r', '\n'];

    public override string ToString() => _text.ToString();
}
