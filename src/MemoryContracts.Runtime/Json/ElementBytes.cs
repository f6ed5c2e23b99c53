using System.Buffers;
using System.Text.Json;
using MemoryContracts.Model;
using MemoryContracts.Model.Wire;

namespace MemoryContracts.Runtime.Json;

/// <summary>The canonical bytes of an element: two elements are the same memory when their bytes are equal.</summary>
internal static class ElementBytes
{
    public static byte[] Of(GraphNode node) => Write(writer => ElementJson.WriteNode(writer, node));

    public static byte[] Of(GraphEdge edge) => Write(writer => ElementJson.WriteEdge(writer, edge));

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, RecordJson.Compact))
        {
            write(writer);
        }

        return output.WrittenSpan.ToArray();
    }
}
