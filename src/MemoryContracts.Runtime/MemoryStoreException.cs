using MemoryContracts.Diagnostics;

namespace MemoryContracts.Runtime;

/// <summary>A refused or failed store operation, with its diagnostics. Nothing was written when it is thrown.</summary>
public sealed class MemoryStoreException : Exception
{
    /// <summary>Creates the exception from one or more diagnostics; the message is their canonical lines.</summary>
    public MemoryStoreException(IReadOnlyList<ContractDiagnostic> diagnostics)
        : base(string.Join(Environment.NewLine, diagnostics))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Creates the exception from one diagnostic.</summary>
    public MemoryStoreException(ContractDiagnostic diagnostic)
        : this([diagnostic])
    {
    }

    /// <summary>What went wrong, each with a code and a location.</summary>
    public IReadOnlyList<ContractDiagnostic> Diagnostics { get; }

    /// <summary>The code of the first diagnostic.</summary>
    public string Code => Diagnostics[0].Code;

    internal static MemoryStoreException Create(DiagnosticDescriptor descriptor, string location, params object?[] arguments) =>
        Create(descriptor, SourceLocation.File(location), arguments);

    internal static MemoryStoreException Create(DiagnosticDescriptor descriptor, SourceLocation location, params object?[] arguments) =>
        new(descriptor.Create(location, arguments));
}
