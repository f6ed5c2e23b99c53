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
    /// One documented constant, <c>public const string name = "value";</c> with its summary, written straight into
    /// the text (a fixture of a thousand nodes writes a thousand of them).
    /// </summary>
    public SourceWriter Constant(string summary, string name, string value)
    {
        Indent().Append("/// <summary>").Append(Xml(summary)).Append("</summary>\n");
        Indent().Append("public const string ").Append(name).Append(" = ");
        MemoryContracts.Text.QuotedString.Append(_text, value).Append(";\n");
        return this;
    }

    /// <summary>Text for an XML doc comment on one line: markup characters escaped, line breaks made spaces.</summary>
    public static string Xml(string text) =>
        text.IndexOfAny(XmlSpecial) < 0 ? text : text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\r", " ").Replace("\n", " ");

    public static string Literal(string text) => MemoryContracts.Text.QuotedString.Append(new StringBuilder(), text).ToString();

    private static readonly char[] XmlSpecial = ['&', '<', '>', '\r', '\n'];

    private StringBuilder Indent() => _text.Append(' ', _indent * 4);

    public override string ToString() => _text.ToString();
}
