using MemoryContracts.Schemas;

namespace MemoryContracts.Tool.Commands;

/// <summary>The values of <c>--engine</c>: which implementation checks fixtures against their JSON Schema.</summary>
internal enum SchemaEngineChoice
{
    /// <summary>The validator compiled from the schemas: the fast default.</summary>
    Compiled,

    /// <summary>NJsonSchema (the MemoryContracts.Reference package), to cross-check a result; not in the native build.</summary>
    Reference,
}

/// <summary>Turns the <c>--engine</c> choice into the engine the validation options take.</summary>
internal static class SchemaEngines
{
#if REFERENCE_ENGINE
    /// <summary>Whether this build holds the reference engine (the framework-dependent build does, the native one does not).</summary>
    public static bool ReferenceIncluded => true;

    public static ISchemaEngine? For(SchemaEngineChoice choice, SchemaCatalog catalog) =>
        choice == SchemaEngineChoice.Reference ? Reference.ReferenceSchemaEngine.Create(catalog) : null;
#else
    /// <summary>Whether this build holds the reference engine (the framework-dependent build does, the native one does not).</summary>
    public static bool ReferenceIncluded => false;

    public static ISchemaEngine? For(SchemaEngineChoice choice, SchemaCatalog catalog) => null;
#endif
}
