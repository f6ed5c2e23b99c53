using System.Globalization;

namespace MemoryContracts.Diagnostics;

/// <summary>One problem found in a fixture: a code, a severity, a message that names the offending value, and a location.</summary>
public sealed class ContractDiagnostic : IEquatable<ContractDiagnostic>
{
    /// <summary>Creates a diagnostic.</summary>
    public ContractDiagnostic(DiagnosticDescriptor descriptor, DiagnosticSeverity severity, string message, SourceLocation location)
    {
        Descriptor = descriptor;
        Severity = severity;
        Message = message;
        Location = location;
    }

    /// <summary>The descriptor of the code.</summary>
    public DiagnosticDescriptor Descriptor { get; }

    /// <summary>The code, such as <c>MC2005</c>.</summary>
    public string Code => Descriptor.Code;

    /// <summary>The effective severity.</summary>
    public DiagnosticSeverity Severity { get; }

    /// <summary>The message.</summary>
    public string Message { get; }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }

    /// <summary>Whether this is an error.</summary>
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>Returns the same diagnostic with another severity.</summary>
    public ContractDiagnostic WithSeverity(DiagnosticSeverity severity) =>
        severity == Severity ? this : new ContractDiagnostic(Descriptor, severity, Message, Location);

    /// <summary>
    /// The canonical one-line form that MSBuild, IDEs and CI log annotators recognise:
    /// <c>file(line,col): error MC2005: message</c>; a problem with a whole file is at <c>(1,1)</c>, and one in no file
    /// (<see cref="SourceLocation.Origin"/>) is <c>origin: error MC...: message</c>.
    /// </summary>
    public override string ToString()
    {
        var severity = Severity == DiagnosticSeverity.Error ? "error" : "warning";
        // Every line about a file has a position (a whole-file problem is placed at its start), so MSBuild's canonical
        // parser and VS Code's $msCompile matcher read them all; a problem in no file names its origin alone.
        var origin = Location.HasPosition
            ? string.Format(CultureInfo.InvariantCulture, "{0}({1},{2})", Location.Path, Location.Line, Location.Column)
            : Location.NamesNoFile ? Location.Path : Location.Path + "(1,1)";
        // One line, whatever the message quotes: a newline or a bidi control in an id cannot forge or reverse a line.
        return $"{Text.DisplayText.Escape(origin)}: {severity} {Code}: {Text.DisplayText.Escape(Message)}";
    }

    /// <inheritdoc />
    public bool Equals(ContractDiagnostic? other) =>
        other is not null && Code == other.Code && Severity == other.Severity && Message == other.Message && Location == other.Location;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ContractDiagnostic);

    /// <inheritdoc />
    public override int GetHashCode() => (Code, Message, Location).GetHashCode();
}
