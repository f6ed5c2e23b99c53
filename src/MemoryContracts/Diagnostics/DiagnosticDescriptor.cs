using System.Globalization;

namespace MemoryContracts.Diagnostics;

/// <summary>The stable description of one diagnostic code: its title, default severity and message format.</summary>
public sealed class DiagnosticDescriptor
{
    internal DiagnosticDescriptor(string code, string title, DiagnosticSeverity defaultSeverity, string messageFormat)
    {
        Code = code;
        Title = title;
        DefaultSeverity = defaultSeverity;
        MessageFormat = messageFormat;
    }

    /// <summary>The descriptor's name in the catalog, such as <c>EdgeEndpointMissing</c>; SARIF uses it as the rule name.</summary>
    public string Name { get; internal set; } = string.Empty;

    /// <summary>The code, such as <c>MC2005</c>.</summary>
    public string Code { get; }

    /// <summary>A short title for rule lists and SARIF.</summary>
    public string Title { get; }

    /// <summary>The severity unless a build or command says otherwise.</summary>
    public DiagnosticSeverity DefaultSeverity { get; }

    /// <summary>The composite format of the message; arguments name the offending values.</summary>
    public string MessageFormat { get; }

    /// <summary>The address of the page that explains the code and its fix.</summary>
    public string HelpLink => DiagnosticCatalog.HelpLinkBase + Code + ".md";

    /// <summary>Creates a diagnostic of this code at a location.</summary>
    public ContractDiagnostic Create(SourceLocation location, params object?[] arguments) =>
        new(this, DefaultSeverity, string.Format(CultureInfo.InvariantCulture, MessageFormat, arguments), location);
}
