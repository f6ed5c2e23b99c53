using System.Text.Json;

namespace MemoryContracts.Output;

/// <summary>
/// A JSON value read back into an ordered value tree, property order and number spelling kept: how a part written
/// once by the element writer (<see cref="Model.Wire.ElementJson"/>) becomes part of a package, which is written as
/// JSON or YAML from the tree.
/// </summary>
internal static class WireJsonReader
{
    /// <summary>The value <paramref name="write"/> writes, as a tree.</summary>
    public static WireValue Of(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        var reader = new Utf8JsonReader(stream.ToArray());
        reader.Read();
        return Value(ref reader);
    }

    private static WireValue Value(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var mapping = new WireObject();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    mapping.Add(name, Value(ref reader));
                }

                return mapping;
            case JsonTokenType.StartArray:
                var items = new List<WireValue>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(Value(ref reader));
                }

                return new WireArray(items);
            case JsonTokenType.String:
                return new WireString(reader.GetString()!);
            case JsonTokenType.Number:
                return new WireNumber(System.Text.Encoding.UTF8.GetString(reader.ValueSpan.ToArray()));
            case JsonTokenType.True or JsonTokenType.False:
                return WireValue.From(reader.TokenType == JsonTokenType.True);
            default:
                throw new JsonException($"a {reader.TokenType} has no place in a package part");
        }
    }
}
