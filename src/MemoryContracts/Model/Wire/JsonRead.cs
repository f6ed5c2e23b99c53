using System.Text.Json;

namespace MemoryContracts.Model.Wire;

/// <summary>Small steps of reading JSON with <see cref="Utf8JsonReader"/>; every mismatch is a <see cref="JsonException"/>.</summary>
internal static class JsonRead
{
    [ThreadStatic]
    private static (byte[] Key, string Value)[]? tokens;

    public static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("the value ends early");
        }
    }

    public static void StartObject(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartObject, "an object");
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            return false;
        }

        Expect(ref reader, JsonTokenType.PropertyName, "a property");
        return true;
    }

    public static string String(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.String, "a string");
        return Text(ref reader);
    }

    /// <summary>The current string token's text; an unpaired surrogate escape is a <see cref="JsonException"/> (MC1003 with its position), not a crash.</summary>
    public static string Text(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new JsonException("a string holds an unpaired surrogate escape (\\ud800-\\udfff without its pair), which is not Unicode text", null, null, reader.TokenStartIndex);
        }
    }

    /// <summary>
    /// Reads a short string that repeats across records (a kind, a state, a time): each thread keeps the last
    /// spelling per hash slot, so a log of a million records does not allocate a million copies of "updated".
    /// </summary>
    public static string Token(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.String, "a string");
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > 40)
        {
            return Text(ref reader);
        }

        var span = reader.ValueSpan;
        var hash = 17;
        foreach (var value in span)
        {
            hash = (hash * 31) + value;
        }

        var slots = tokens ??= new (byte[] Key, string Value)[512];
        ref var slot = ref slots[hash & (slots.Length - 1)];
        if (slot.Key is not null && span.SequenceEqual(slot.Key))
        {
            return slot.Value;
        }

        var text = Text(ref reader);
        slot = (span.ToArray(), text);
        return text;
    }

    /// <summary>Reads a string value and checks it is exactly <paramref name="expected"/> without allocating; returns what it found.</summary>
    public static string? Mismatch(ref Utf8JsonReader reader, ReadOnlySpan<byte> expected)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.String, "a string");
        return reader.ValueTextEquals(expected) ? null : Text(ref reader);
    }

    public static string? OptionalString(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.String, "a string");
        return Text(ref reader);
    }

    public static long Int64(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.Number, "a number");
        return reader.GetInt64();
    }

    public static int? Int32(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.Number, "a number");
        return reader.TryGetInt32(out var value) ? value : throw new JsonException("the number is out of range");
    }

    public static double? Double(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.Number, "a number");
        return reader.GetDouble();
    }

    public static bool Boolean(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => throw new JsonException("expected true or false"),
        };
    }

    public static string[] Strings(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartArray, "an array");
        var values = new List<string>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return values.ToArray();
            }

            Expect(ref reader, JsonTokenType.String, "a string");
            values.Add(Text(ref reader));
        }
    }

    /// <summary>Reads an array of objects, calling <paramref name="item"/> with the reader on each start.</summary>
    public static List<T> Objects<T>(ref Utf8JsonReader reader, ItemReader<T> item)
    {
        Next(ref reader);
        Expect(ref reader, JsonTokenType.StartArray, "an array");
        var values = new List<T>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return values;
            }

            Expect(ref reader, JsonTokenType.StartObject, "an object");
            values.Add(item(ref reader));
        }
    }

    /// <summary>Skips the value of the current property.</summary>
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        reader.Skip();
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"expected {what}, found {Describe(reader.TokenType)}");
        }
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    /// <summary>Where in a file the reader stopped: 1-based line and column from the exception's 0-based position.</summary>
    public static MemoryContracts.Diagnostics.SourceLocation Location(string path, JsonException exception) =>
        new(path, (int)(exception.LineNumber ?? 0) + 1, (int)(exception.BytePositionInLine ?? 0) + 1, 0, 0);

    /// <summary>Reads one object whose start token is current.</summary>
    public delegate T ItemReader<out T>(ref Utf8JsonReader reader);
}
