using System.Collections.Generic;
using MemoryContracts.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace MemoryContracts.Generators;

/// <summary>
/// The codes the generator reports. They carry the same numbers, titles and help pages as the contract
/// validator's catalog (a test holds them equal), so a problem has one code wherever it is found.
/// </summary>
internal static class GeneratorDiagnostics
{
    private const string HelpLinkBase = "https://github.com/memorycontracts/memorycontracts/blob/main/docs/diagnostics/";

    private static readonly Dictionary<string, DiagnosticDescriptor> Descriptors = new()
    {
        ["MC1001"] = Create("MC1001", "Not well-formed YAML or JSON"),
        ["MC1002"] = Create("MC1002", "Missing or unknown schema_version"),
        ["MC1006"] = Create("MC1006", "Empty file"),
        ["MC1007"] = Create("MC1007", "Alias expansion limit exceeded"),
        ["MC1008"] = Create("MC1008", "Nesting too deep"),
        ["MC1009"] = Create("MC1009", "More than one YAML document"),
        ["MC2011"] = Create("MC2011", "Ids map to the same C# name"),
        ["MC9002"] = Create("MC9002", "Invalid contract schema"),
    };

    /// <summary>Every descriptor, for the catalog test.</summary>
    public static IEnumerable<DiagnosticDescriptor> All => Descriptors.Values;

    /// <summary>Whether only the generator can find the problem (name collisions), as opposed to the build's validation.</summary>
    public static bool IsGeneratorOnly(string code) => code == "MC2011";

    public static Diagnostic ToDiagnostic(DiagnosticInfo info)
    {
        var location = Location.Create(
            info.Path,
            new TextSpan(info.Start, System.Math.Max(0, info.End - info.Start)),
            new LinePositionSpan(new LinePosition(info.StartLine, info.StartColumn), new LinePosition(info.EndLine, info.EndColumn)));
        return Diagnostic.Create(Descriptors[info.Code], location, info.Message);
    }

    private static DiagnosticDescriptor Create(string code, string title) =>
        new(code, title, "{0}", "MemoryContracts", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + code + ".md");
}
