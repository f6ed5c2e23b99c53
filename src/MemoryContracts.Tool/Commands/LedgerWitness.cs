using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.IO;
using MemoryContracts.Runtime;

namespace MemoryContracts.Tool.Commands;

/// <summary>
/// A witness file (<c>markitect.memory.witness.v1</c>): the last checkpoint of each graph that <c>store verify</c>
/// saw, kept outside the database so that a rewound ledger is noticed.
/// </summary>
internal static class LedgerWitness
{
    private const string Format = "markitect.memory.witness.v1";

    public static Dictionary<string, string> Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!document.RootElement.TryGetProperty("format", out var format) || format.GetString() != Format || !document.RootElement.TryGetProperty("checkpoints", out var checkpoints))
            {
                throw new JsonException($"not a {Format} file");
            }

            return checkpoints.EnumerateObject().ToDictionary(pair => pair.Name, pair => pair.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            throw new MemoryStoreException(DiagnosticCatalog.SchemaViolation.Create(SourceLocation.File(path), $"the witness file cannot be read: {exception.Message}"));
        }
    }

    public static void Write(string path, IReadOnlyDictionary<string, string> checkpoints)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteStartObject("checkpoints");
            foreach (var (graph, checkpoint) in checkpoints.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WriteString(graph, checkpoint);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        AtomicFile.WriteAllBytes(path, stream.ToArray());
    }
}
