using System.Collections.Generic;
using System.Linq;
using MemoryContracts.Diagnostics;
using MemoryContracts.Generators.Model;
using Microsoft.CodeAnalysis;
using DiagnosticDescriptor = Microsoft.CodeAnalysis.DiagnosticDescriptor;
using DiagnosticSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;
using Microsoft.CodeAnalysis.Text;

namespace MemoryContracts.Generators;

/// <summary>
/// The codes the generator reports. Their titles and help pages come from the contract validator's catalog (compiled
/// into the generator), so a problem has one code, title and page wherever it is found.
/// </summary>
internal static class GeneratorDiagnostics
{
    private static readonly Dictionary<string, DiagnosticDescriptor> Descriptors =
        new[] { "MC1001", "MC1002", "MC1006", "MC1007", "MC1008", "MC1009", "MC2011", "MC9002" }.ToDictionary(code => code, Create);

    /// <summary>Every descriptor, for the catalog test.</summary>
    public static IEnumerable<DiagnosticDescriptor> All => Descriptors.Values;

    public static Diagnostic ToDiagnostic(DiagnosticInfo info)
    {
        var location = Location.Create(
            info.Path,
            new TextSpan(info.Start, System.Math.Max(0, info.End - info.Start)),
            new LinePositionSpan(new LinePosition(info.StartLine, info.StartColumn), new LinePosition(info.EndLine, info.EndColumn)));
        return Diagnostic.Create(Descriptors[info.Code], location, info.Message);
    }

    private static DiagnosticDescriptor Create(string code)
    {
        var entry = DiagnosticCatalog.Find(code) ?? throw new System.InvalidOperationException($"{code} is not in the diagnostic catalog");
        return new(code, entry.Title, "{0}", "MemoryContracts", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: entry.HelpLink);
    }
}
