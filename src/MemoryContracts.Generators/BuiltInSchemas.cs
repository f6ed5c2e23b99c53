using System.Collections.Generic;
using System.IO;
using System.Linq;
using MemoryContracts.Generators.Model;
using MemoryContracts.Generators.Parsing;

namespace MemoryContracts.Generators;

/// <summary>The v1 contract schemas embedded in the generator, parsed once per process.</summary>
internal static class BuiltInSchemas
{
    private static readonly System.Lazy<EquatableArray<SchemaModel>> Parsed = new(Load);

    public static EquatableArray<SchemaModel> All => Parsed.Value;

    private static EquatableArray<SchemaModel> Load()
    {
        var assembly = typeof(BuiltInSchemas).Assembly;
        var schemas = new List<SchemaModel>();
        foreach (var name in assembly.GetManifestResourceNames().Where(name => name.StartsWith("schemas/", System.StringComparison.Ordinal)).OrderBy(name => name, System.StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(name)!);
            var result = SchemaParser.Parse(name, reader.ReadToEnd(), builtIn: true);
            schemas.Add(result.Schema ?? throw new InvalidDataException($"The built-in schema {name} is invalid: {result.Diagnostics.FirstOrDefault()?.Message}"));
        }

        return new EquatableArray<SchemaModel>(schemas);
    }
}
