namespace MemoryContracts.Validation;

/// <summary>The checks of one contract family that JSON Schema cannot express: ids, references, cross-file links.</summary>
internal interface IContractSemantics
{
    /// <summary>The family, as the schema's <c>x-contract</c> names it.</summary>
    string Family { get; }

    /// <summary>Checks a fixture; it must not assume the fixture passed schema validation.</summary>
    void Check(FixtureContext context);
}
