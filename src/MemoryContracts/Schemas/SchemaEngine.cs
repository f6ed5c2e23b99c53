namespace MemoryContracts.Schemas;

/// <summary>Which implementation checks fixtures against their JSON Schema.</summary>
public enum SchemaEngine
{
    /// <summary>The validator compiled from the schemas: the fast default.</summary>
    Compiled,

    /// <summary>NJsonSchema, the reference the compiled validator is tested against.</summary>
    Reference,
}
