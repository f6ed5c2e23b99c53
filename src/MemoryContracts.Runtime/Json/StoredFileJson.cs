using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MemoryContracts.Model;
using MemoryContracts.Model.Wire;
using MemoryContracts.Runtime.Storage;

namespace MemoryContracts.Runtime.Json;

/// <summary>
/// The workspace's cold files, snapshots and graph headers, through source-generated <see cref="System.Text.Json"/>
/// metadata (<see cref="StoredFileJsonContext"/>): indented, snake_case, nulls left out, readable non-ASCII; nodes and
/// edges inside them through the one element writer and reader (<see cref="ElementJson"/>), tombstones and review flags
/// through the ones records use (every property required). A missing required
/// property or a null where the file format allows none is a <see cref="JsonException"/>, as is a foreign format.
/// </summary>
internal static class StoredFileJson
{
    public const string SnapshotFormat = "markitect.memory.snapshot.v1";
    public const string HeaderFormat = "markitect.memory.graph-header.v1";

    /// <summary>The metadata of every stored file format: snapshots, headers, audit lines and lifecycle plans.</summary>
    public static StoredFileJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters =
        {
            new ObjectConverter<GraphNode>(ElementJson.ReadNode, ElementJson.WriteNode),
            new ObjectConverter<GraphEdge>(ElementJson.ReadEdge, ElementJson.WriteEdge),
            new ObjectConverter<Tombstone>(RecordJson.ReadTombstone, RecordJson.WriteTombstone),
            new ObjectConverter<ReviewFlag>(RecordJson.ReadReview, RecordJson.WriteReview),
        },
    });

    public static byte[] WriteSnapshot(GraphSnapshot snapshot) =>
        Write(new SnapshotFile(SnapshotFormat, snapshot.GraphId, snapshot.Sequence, snapshot.Nodes, snapshot.Edges, snapshot.Tombstones, snapshot.Reviews), Context.SnapshotFile);

    public static GraphSnapshot ReadSnapshot(ReadOnlySpan<byte> content)
    {
        var file = JsonSerializer.Deserialize(content, Context.SnapshotFile) ?? throw new JsonException("the snapshot is null");
        CheckFormat(file.Format, SnapshotFormat);
        return new GraphSnapshot(ElementJson.Required(file.Graph, "snapshot", "graph"), file.Sequence, Items(file.Nodes, "nodes"), Items(file.Edges, "edges"), Items(file.Tombstones, "tombstones"), Items(file.Reviews, "reviews"));
    }

    public static byte[] WriteHeader(GraphHeader header) =>
        Write(new HeaderFile(HeaderFormat, header.Id, header.Title, header.Description), Context.HeaderFile);

    public static GraphHeader ReadHeader(ReadOnlySpan<byte> content)
    {
        var file = JsonSerializer.Deserialize(content, Context.HeaderFile) ?? throw new JsonException("the graph header is null");
        CheckFormat(file.Format, HeaderFormat);
        return new GraphHeader(ElementJson.Required(file.Id, "graph header", "id"), file.Title, file.Description);
    }

    /// <summary>A file that names a format must name this one; a file without one is read as this version's.</summary>
    public static void CheckFormat(string? found, string expected)
    {
        if (found is not null)
        {
            RecordJson.CheckFormat(found, expected);
        }
    }

    /// <summary>A list the file may leave out (empty then), with no null item; the list read is kept, not copied.</summary>
    public static IReadOnlyList<T> Items<T>(IReadOnlyList<T?>? items, string name)
        where T : class =>
        items is null ? [] : items.Any(item => item is null) ? throw new JsonException($"'{name}' holds null") : (IReadOnlyList<T>)items!;

    /// <summary>A file's bytes: indented through the workspace's writer options (readable non-ASCII), with a final newline.</summary>
    private static byte[] Write<T>(T file, JsonTypeInfo<T> metadata)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, RecordJson.Indented))
        {
            JsonSerializer.Serialize(writer, file, metadata);
        }

        return RecordJson.WithNewline(output);
    }

    /// <summary>An object inside a stored file, read and written by the hand-kept reader and writer it shares with records.</summary>
    private sealed class ObjectConverter<T>(JsonRead.ItemReader<T> read, Action<Utf8JsonWriter, T> write) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            JsonRead.Expect(ref reader, JsonTokenType.StartObject, "an object");
            return read(ref reader);
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => write(writer, value);
    }
}

/// <summary>A snapshot file: the main path of a graph at a sequence.</summary>
internal sealed record SnapshotFile(string? Format, string? Graph, long Sequence, IReadOnlyList<GraphNode?>? Nodes, IReadOnlyList<GraphEdge?>? Edges, IReadOnlyList<Tombstone?>? Tombstones, IReadOnlyList<ReviewFlag?>? Reviews);

/// <summary>A graph header file.</summary>
internal sealed record HeaderFile(string? Format, string? Id, string? Title, string? Description);

/// <summary>The stored files and lines whose bytes are read back: snapshots, graph headers, audit lines and lifecycle plans.</summary>
[JsonSerializable(typeof(SnapshotFile))]
[JsonSerializable(typeof(HeaderFile))]
[JsonSerializable(typeof(AuditFile))]
[JsonSerializable(typeof(Lifecycle.PlanFile))]
internal sealed partial class StoredFileJsonContext : JsonSerializerContext;
