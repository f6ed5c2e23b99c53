using MemoryContracts.Reference;
using MemoryContracts.Schemas;

namespace MemoryContracts.Tool.Commands;

/// <summary>The values of <c>--engine</c>: which implementation checks fixtures against their JSON Schema.</summary>
internal enum SchemaEngineChoice
{
    /// <summary>The validator compiled from the schemas: the fast default.</summary>
    Compiled,

    /// <summary>NJsonSchema (the MemoryContracts.Reference package), to cross-check a result.</summary>
    Reference,
}

/// <summary>Turns the <c>--engine</c> choice into the engine the validation options take.</summary>
internal static class SchemaEngines
{
    public static ISchemaEngine? For(SchemaEngineChoice choice, SchemaCatalog catalog) =>
        choice == SchemaEngineChoice.Reference ? ReferenceSchemaEngine.Create(catalog) : null;
}
