using MemoryContracts.Documents;

namespace MemoryContracts.Schemas;

/// <summary>
/// Checks a document against its contract's JSON Schema. The validator compiled from the schemas is used unless
/// <see cref="Validation.ValidationOptions.SchemaEngine"/> names another, such as the NJsonSchema engine of the
/// optional <c>MemoryContracts.Reference</c> package, to cross-check a result.
/// </summary>
public interface ISchemaEngine
{
    /// <summary>Validates a document's root against a contract and returns every violation found, in document order.</summary>
    IReadOnlyList<SchemaViolation> Validate(DocumentNode root, ContractSchema contract);
}
