using System.Globalization;
using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Text;

namespace MemoryContracts.Documents;

/// <summary>Turns the bytes of a fixture file into a <see cref="SourceDocument"/>, or into diagnostics that say why not.</summary>
public static class DocumentLoader
{
    /// <summary>Loads a fixture from bytes.</summary>
    /// <param name="path">The file as the user named it; diagnostics carry it.</param>
    /// <param name="content">The file's bytes.</param>
    /// <param name="format">The syntax, or null to decide from the extension and the content.</param>
    /// <param name="limits">Bounds against hostile input, or null for <see cref="DocumentLimits.Default"/>.</param>
    public static DocumentLoadResult Load(string path, byte[] content, DocumentFormat? format = null, DocumentLimits? limits = null)
    {
        limits ??= DocumentLimits.Default;
        var diagnostics = new List<ContractDiagnostic>();
        var document = Read(path, content, format, limits, diagnostics);
        return new DocumentLoadResult(document, diagnostics);
    }

    /// <summary>Decides the syntax of a file: <c>.json</c> is JSON, <c>.yaml</c> and <c>.yml</c> are YAML, anything else is sniffed.</summary>
    public static DocumentFormat DetectFormat(string path, byte[] content)
    {
        var extension = System.IO.Path.GetExtension(path);
        if (string.Equals(extension, ".json", StringComparison.OrdinalIgnoreCase))
        {
            return DocumentFormat.Json;
        }

        if (string.Equals(extension, ".yaml", StringComparison.OrdinalIgnoreCase) || string.Equals(extension, ".yml", StringComparison.OrdinalIgnoreCase))
        {
            return DocumentFormat.Yaml;
        }

        var first = JsonWhitespace.Skip(content, ByteOrderMarkLength(content));
        return first < content.Length && content[first] is (byte)'{' or (byte)'[' ? DocumentFormat.Json : DocumentFormat.Yaml;
    }

    private static SourceDocument? Read(string path, byte[] content, DocumentFormat? format, DocumentLimits limits, List<ContractDiagnostic> diagnostics)
    {
        if (IsUtf16(content))
        {
            diagnostics.Add(DiagnosticCatalog.InvalidEncoding.Create(new SourceLocation(path, 1, 1, 1, 1), "the file is UTF-16; fixtures must be UTF-8"));
            return null;
        }

        var start = ByteOrderMarkLength(content);
        var text = new Utf8SourceText(content, start);
        var invalid = Utf8Validation.FindFirstInvalid(content, start);
        if (invalid >= 0)
        {
            var position = text.GetPosition(invalid);
            var message = string.Format(CultureInfo.InvariantCulture, "byte 0x{0:X2} at offset {1} is not valid UTF-8; fixtures must be UTF-8", content[invalid], invalid);
            diagnostics.Add(DiagnosticCatalog.InvalidEncoding.Create(new SourceLocation(path, position.Line, position.Column, position.Line, position.Column + 1), message));
            return null;
        }

        var nul = Array.IndexOf(content, (byte)0, start);
        if (nul >= 0)
        {
            var position = text.GetPosition(nul);
            var message = string.Format(CultureInfo.InvariantCulture, "byte 0x00 at offset {0} is a NUL character; fixtures are text and cannot contain it", nul);
            diagnostics.Add(DiagnosticCatalog.InvalidEncoding.Create(new SourceLocation(path, position.Line, position.Column, position.Line, position.Column + 1), message));
            return null;
        }

        if (IsBlank(content, start))
        {
            diagnostics.Add(DiagnosticCatalog.EmptyDocument.Create(new SourceLocation(path, 1, 1, 1, 1)));
            return null;
        }

        if ((format ?? DetectFormat(path, content)) == DocumentFormat.Json)
        {
            return JsonDocumentReader.Read(path, text, limits, diagnostics);
        }

        // The byte reader takes the YAML fixtures are written in; the event reader takes the rest and every error.
        return Utf8YamlReader.TryRead(path, text, limits)
            ?? YamlDocumentReader.Read(path, new StringSourceText(Encoding.UTF8.GetString(content, start, content.Length - start)), limits, diagnostics);
    }

    private static int ByteOrderMarkLength(byte[] content) =>
        content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;

    private static bool IsUtf16(byte[] content) =>
        content.Length >= 2 && ((content[0] == 0xFF && content[1] == 0xFE) || (content[0] == 0xFE && content[1] == 0xFF));

    private static bool IsBlank(byte[] content, int start) => JsonWhitespace.Skip(content, start) == content.Length;
}

/// <summary>The outcome of loading a file: a document when it could be read, and the diagnostics found on the way.</summary>
/// <param name="Document">The document, or null when the file could not be read.</param>
/// <param name="Diagnostics">Problems found while reading (syntax, encoding, duplicate keys, limits).</param>
public sealed record DocumentLoadResult(SourceDocument? Document, IReadOnlyList<ContractDiagnostic> Diagnostics);
