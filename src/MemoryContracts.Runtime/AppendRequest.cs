using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.Model;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Json;

namespace MemoryContracts.Runtime;

/// <summary>An event and its changes, as a file a person or a script writes: <c>{"event": {...}, "changes": {...}}</c>.</summary>
/// <param name="Event">The <c>markitect.memory.graph.v1</c> event.</param>
/// <param name="Changes">What it changes (<c>put_nodes</c>, <c>put_edges</c>, <c>remove_nodes</c>, <c>remove_edges</c>).</param>
internal sealed record AppendRequest(GraphEvent Event, GraphChanges Changes)
{
    /// <summary>Reads a request file; a malformed one is MC1003 with its position.</summary>
    public static AppendRequest Read(string path) => Parse(File.ReadAllBytes(path), path);

    /// <summary>Reads a request's JSON; a malformed one is MC1003 with its position in <paramref name="source"/>.</summary>
    public static AppendRequest Parse(ReadOnlySpan<byte> content, string source)
    {
        try
        {
            var (graphEvent, changes) = RecordJson.ReadAppend(content);
            return new AppendRequest(graphEvent, changes);
        }
        catch (JsonException exception)
        {
            var location = JsonRead.Location(source, exception);
            throw new MemoryStoreException(DiagnosticCatalog.SchemaViolation.Create(location, $"not an append request: {exception.Message}"));
        }
    }
}
