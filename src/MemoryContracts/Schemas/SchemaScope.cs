namespace MemoryContracts.Schemas;

/// <summary>
/// Where a subschema sits while it is compiled: the schema document it belongs to (a contract's or file's <c>$id</c>),
/// the base URI its references resolve against (the nearest <c>$id</c>, RFC 3986), and its JSON pointer both from
/// that base's resource and from the document root (whose normalized URI is <c>DocumentBase</c>). Pointers hold escaped tokens (<c>~0</c>, <c>~1</c>), as a
/// reference's fragment does once percent-decoded, so the two compare as strings.
/// </summary>
internal readonly record struct SchemaScope(string Document, string DocumentBase, string Base, string Pointer, string DocumentPointer)
{
    /// <summary>The scope of a schema document's root; its base is its (normalized) <c>$id</c>, normalized once here.</summary>
    public static SchemaScope Root(string document)
    {
        var normalized = SchemaUri.Normalize(document);
        return new(document, normalized, normalized, string.Empty, string.Empty);
    }

    /// <summary>The key the subschema is registered under: base URI, <c>#</c>, pointer from the base's resource.</summary>
    public string Key => Base + "#" + Pointer;

    /// <summary>The key under the document's own URI and the pointer from its root, when an embedded <c>$id</c> made it differ.</summary>
    public string DocumentKey => DocumentBase + "#" + DocumentPointer;

    /// <summary>The scope one step down: under a keyword, a property name or an index.</summary>
    public SchemaScope Child(string token) => this with
    {
        Pointer = Pointer + "/" + SchemaUri.EscapeToken(token),
        DocumentPointer = DocumentPointer + "/" + SchemaUri.EscapeToken(token),
    };

    /// <summary>The scope two steps down, such as <c>properties/name</c>.</summary>
    public SchemaScope Child(string keyword, string token) => Child(keyword).Child(token);

    /// <summary>The scope of a subschema whose <c>$id</c> resolved to a new resource: its pointers restart there.</summary>
    public SchemaScope Rebased(string resource) => this with { Base = resource, Pointer = string.Empty };
}
