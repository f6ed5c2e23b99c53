using System.Globalization;

namespace MemoryContracts.Output;

/// <summary>
/// A value to write as deterministic JSON or YAML: mappings keep the order their properties were added in, so
/// the same input always gives the same bytes.
/// </summary>
internal abstract class WireValue
{
    /// <summary>Creates a string value, or null for a null string.</summary>
    public static WireValue? From(string? value) => value is null ? null : new WireString(value);

    /// <summary>Creates an integer value, or null.</summary>
    public static WireValue? From(long? value) => value is null ? null : new WireNumber(value.Value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Creates a number value, or null.</summary>
    public static WireValue? From(double? value) =>
        value is null ? null : new WireNumber(value.Value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Creates a boolean value.</summary>
    public static WireValue From(bool value) => new WireBoolean(value);

    /// <summary>Creates a sequence of strings.</summary>
    public static WireArray From(IEnumerable<string> values) => new(values.Select(value => (WireValue)new WireString(value)));
}

/// <summary>A mapping whose properties keep their insertion order.</summary>
internal sealed class WireObject : WireValue
{
    private readonly List<KeyValuePair<string, WireValue>> _properties = new();

    /// <summary>The properties in order.</summary>
    public IReadOnlyList<KeyValuePair<string, WireValue>> Properties => _properties;

    /// <summary>Adds a property; a null value is left out, so optional fields simply do not appear.</summary>
    public WireObject Add(string name, WireValue? value)
    {
        if (value is not null)
        {
            _properties.Add(new KeyValuePair<string, WireValue>(name, value));
        }

        return this;
    }

    /// <summary>Adds a string property when the value is not null.</summary>
    public WireObject Add(string name, string? value) => Add(name, From(value));

    /// <summary>Adds an integer property when the value is not null.</summary>
    public WireObject Add(string name, long? value) => Add(name, From(value));
}

/// <summary>A sequence.</summary>
internal sealed class WireArray(IEnumerable<WireValue> items) : WireValue
{
    /// <summary>The items in order.</summary>
    public IReadOnlyList<WireValue> Items { get; } = items.ToArray();
}

/// <summary>A string.</summary>
internal sealed class WireString(string value) : WireValue
{
    /// <summary>The text.</summary>
    public string Value { get; } = value;
}

/// <summary>A number, already spelled in invariant culture.</summary>
internal sealed class WireNumber(string text) : WireValue
{
    /// <summary>The number's spelling.</summary>
    public string Text { get; } = text;
}

/// <summary>true or false.</summary>
internal sealed class WireBoolean(bool value) : WireValue
{
    /// <summary>The value.</summary>
    public bool Value { get; } = value;
}
