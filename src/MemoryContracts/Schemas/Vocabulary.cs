using System.Text;

namespace MemoryContracts.Schemas;

/// <summary>
/// A closed list of terms declared in a contract schema by an enum marked with <c>x-vocabulary</c>,
/// such as the node kinds of <c>markitect.memory.graph.v1</c>.
/// </summary>
public sealed class Vocabulary
{
    private readonly HashSet<string> _values;

    internal Vocabulary(string name, string schemaId, string definition, string? description, string? diagnosticCode, IReadOnlyList<VocabularyTerm> terms)
    {
        Name = name;
        SchemaId = schemaId;
        Definition = definition;
        Description = description;
        DiagnosticCode = diagnosticCode;
        Terms = terms;
        _values = new HashSet<string>(terms.Select(term => term.Value), StringComparer.Ordinal);
        Noun = ToNoun(name);
    }

    /// <summary>The vocabulary's type name, such as <c>NodeKind</c>.</summary>
    public string Name { get; }

    /// <summary>The <c>$id</c> of the schema that declares it.</summary>
    public string SchemaId { get; }

    /// <summary>The name of the schema definition that declares it, such as <c>node_kind</c>.</summary>
    public string Definition { get; }

    /// <summary>The definition's description.</summary>
    public string? Description { get; }

    /// <summary>The diagnostic code reported for a value outside the vocabulary, or null for MC1003.</summary>
    public string? DiagnosticCode { get; }

    /// <summary>The terms in schema order.</summary>
    public IReadOnlyList<VocabularyTerm> Terms { get; }

    /// <summary>The name as words for messages: <c>NodeKind</c> becomes "node kind".</summary>
    public string Noun { get; }

    /// <summary>Whether a value is a term of this vocabulary.</summary>
    public bool Contains(string value) => _values.Contains(value);

    /// <summary>Returns the term closest to a misspelled value, if one is close enough to suggest.</summary>
    public string? SuggestFor(string value) => Suggestions.Closest(value, Terms.Select(term => term.Value));

    private static string ToNoun(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append(' ');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}

/// <summary>One term of a vocabulary.</summary>
/// <param name="Value">The wire name, such as <c>policy_decision</c>.</param>
/// <param name="Description">What the term means, from the schema's <c>enumDescriptions</c>.</param>
public sealed record VocabularyTerm(string Value, string? Description);
