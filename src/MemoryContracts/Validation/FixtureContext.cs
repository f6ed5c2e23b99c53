using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;
using MemoryContracts.Schemas;

namespace MemoryContracts.Validation;

/// <summary>What a semantic check works with: the file, its contract, the validator for referenced files.</summary>
internal sealed class FixtureContext(ContractValidator validator, FixtureResult fixture, ContractSchema contract)
{
    public ContractValidator Validator { get; } = validator;

    public FixtureResult Fixture { get; } = fixture;

    public ContractSchema Contract { get; } = contract;

    public DocumentNode Root => Fixture.Document!.Root;

    public void Report(DiagnosticDescriptor descriptor, DocumentNode at, params object?[] arguments) =>
        Fixture.Add(descriptor.Create(at.Exists ? at.Location : SourceLocation.File(Fixture.Path), arguments));
}
