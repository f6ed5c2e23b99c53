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

    public static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\r", " ").Replace("\n", " ");

    public static string Literal(string text) => MemoryContracts.Text.QuotedString.Append(new StringBuilder(), text).ToString();

    public override string ToString() => _text.ToString();
}
