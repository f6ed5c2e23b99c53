using System.Text.Json;

namespace MemoryContracts.Runtime.Json;

/// <summary>A stored file or line names a format this version does not read.</summary>
internal sealed class UnknownFormatException(string found, string expected) : JsonException($"the format is '{found}'; expected '{expected}'")
{
    public string Found { get; } = found;

    public string Expected { get; } = expected;
}
