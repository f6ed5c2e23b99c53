using MemoryContracts.Diagnostics;

namespace MemoryContracts.Validation;

/// <summary>Runtime boundary catalog checks: boundary ids are unique (MC2004) and every contract named is known (MC1013).</summary>
internal sealed class BoundarySemantics : IContractSemantics
{
    public string Family => "boundaries";

    public void Check(FixtureContext context)
    {
        var catalog = context.Validator.Options.Catalog;
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var boundary in DocumentItems.Of(context.Root, BoundariesFields.Boundaries))
        {
            if (boundary.TryGetProperty(BoundaryFields.Id, out var id) && id.IsString)
            {
                if (ids.TryGetValue(id.GetString(), out var line))
                {
                    context.Report(DiagnosticCatalog.DuplicateId, id, id.GetString(), "boundary", line);
                }
                else
                {
                    ids.Add(id.GetString(), id.Location.Line);
                }
            }

            foreach (var contract in DocumentItems.Of(boundary, BoundaryFields.Accepts).Concat(DocumentItems.Of(boundary, BoundaryFields.Emits)))
            {
                if (contract.IsString && catalog.FindBySchemaVersion(contract.GetString()) is null)
                {
                    context.Report(DiagnosticCatalog.UnknownContractReference, contract, contract.GetString(), catalog.DescribeKnownVersions());
                }
            }
        }
    }
}
