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

    /// <summary>
    /// The schemas a compilation knows: the built-in ones (those <paramref name="added"/> does not replace) and the added
    /// ones, by schema version; the built-in types are declared only when <paramref name="emitBuiltIns"/>.
    /// </summary>
    public static ContractSet With(IEnumerable<SchemaModel> added, bool emitBuiltIns, bool isPublic)
    {
        var addedSchemas = added.ToList();
        var schemas = All.Where(builtIn => addedSchemas.All(schema => schema.SchemaVersion != builtIn.SchemaVersion)).Concat(addedSchemas);
        return new ContractSet(new EquatableArray<SchemaModel>(schemas.OrderBy(schema => schema.SchemaVersion, System.StringComparer.Ordinal)), emitBuiltIns, isPublic);
    }

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
