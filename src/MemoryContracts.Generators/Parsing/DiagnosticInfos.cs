using MemoryContracts.Generators.Model;
using YamlDotNet.Core;

namespace MemoryContracts.Generators.Parsing;

/// <summary>Builds <see cref="DiagnosticInfo"/> values at file positions.</summary>
internal static class DiagnosticInfos
{
    public static DiagnosticInfo At(string code, string message, string path, FilePosition position) =>
        new(code, message, path, position.Start, position.End, position.StartLine, position.StartColumn, position.EndLine, position.EndColumn);

    public static DiagnosticInfo At(string code, string message, string path, Mark start, Mark end) =>
        At(code, message, path, new FilePosition((int)start.Index, (int)System.Math.Max(start.Index, end.Index), (int)System.Math.Max(0, start.Line - 1), (int)System.Math.Max(0, start.Column - 1), (int)System.Math.Max(0, end.Line - 1), (int)System.Math.Max(0, end.Column - 1)));

    public static DiagnosticInfo FromRead(YamlTreeException exception, string path) => At(exception.Code, exception.Message, path, exception.StartMark, exception.EndMark);
}
