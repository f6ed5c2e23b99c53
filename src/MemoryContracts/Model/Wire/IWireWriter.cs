using System.Text.Json;

namespace MemoryContracts.Model.Wire;

/// <summary>
/// What <see cref="ElementJson"/> writes an element's wire shape to: JSON text (<see cref="JsonWire"/>) or a loaded
/// document's tape (<see cref="TapeWireWriter"/>), so the shape is written in one place whichever the destination.
/// The calls are those of <see cref="Utf8JsonWriter"/> that the shape uses.
/// </summary>
internal interface IWireWriter
{
    void WriteStartObject();

    void WriteStartObject(string name);

    void WriteEndObject();

    void WriteStartArray(string name);

    void WriteEndArray();

    void WritePropertyName(string name);

    void WriteString(string name, string value);

    void WriteStringValue(string value);

    void WriteNumber(string name, int value);

    void WriteNumber(string name, double value);

    void WriteBooleanValue(bool value);

    /// <summary>Writes a number given in its JSON spelling, digit for digit.</summary>
    void WriteNumberValue(string json);
}

/// <summary>Writes the wire shape as JSON text.</summary>
internal readonly struct JsonWire(Utf8JsonWriter writer) : IWireWriter
{
    public void WriteStartObject() => writer.WriteStartObject();

    public void WriteStartObject(string name) => writer.WriteStartObject(name);

    public void WriteEndObject() => writer.WriteEndObject();

    public void WriteStartArray(string name) => writer.WriteStartArray(name);

    public void WriteEndArray() => writer.WriteEndArray();

    public void WritePropertyName(string name) => writer.WritePropertyName(name);

    public void WriteString(string name, string value) => writer.WriteString(name, value);

    public void WriteStringValue(string value) => writer.WriteStringValue(value);

    public void WriteNumber(string name, int value) => writer.WriteNumber(name, value);

    public void WriteNumber(string name, double value) => writer.WriteNumber(name, value);

    public void WriteBooleanValue(bool value) => writer.WriteBooleanValue(value);

    public void WriteNumberValue(string json) => writer.WriteRawValue(json, skipInputValidation: false);
}
