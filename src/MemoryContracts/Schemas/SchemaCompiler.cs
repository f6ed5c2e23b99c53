using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MemoryContracts.Diagnostics;
using MemoryContracts.Documents;

namespace MemoryContracts.Schemas;

/// <summary>
/// Compiles draft-07 JSON Schemas into <see cref="SchemaNode"/> trees. Every keyword the compiler does not
/// enforce is an error (MC9002), so a schema never promises a check that does not happen.
/// </summary>
internal sealed class SchemaCompiler
{
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "$comment", "title", "description", "default", "examples", "definitions", "enumDescriptions", "readOnly", "writeOnly",
    };

    private readonly Dictionary<string, SchemaNode> _registry = new(StringComparer.Ordinal);
    private readonly List<(SchemaNode Node, DocumentNode Source, string Base)> _references = new();
    private readonly Dictionary<string, string> _idsByFileName = new(StringComparer.Ordinal);
    private readonly List<ContractDiagnostic> _diagnostics = new();

    /// <summary>
    /// Compiles a set of schemas that may refer to each other by <c>$id</c>; also returns, for each schema's <c>$id</c>,
    /// the <c>$id</c>s of the other schemas its references lead into.
    /// </summary>
    public static (IReadOnlyList<ContractSchema> Schemas, IReadOnlyList<ContractDiagnostic> Diagnostics, IReadOnlyDictionary<string, HashSet<string>> ReferencedIds) Compile(IEnumerable<(string FileName, string Json, SourceDocument Document)> sources)
    {
        var compiler = new SchemaCompiler();
        var schemas = new List<ContractSchema>();
        foreach (var (fileName, json, document) in sources)
        {
            var schema = compiler.CompileContract(fileName, json, document);
            if (schema is not null)
            {
                schemas.Add(schema);
            }
        }

        compiler.ResolveReferences();
        var referenced = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (node, _, _) in compiler._references.Where(reference => reference.Node.Reference is not null))
        {
            var from = node.Document;
            var to = node.Reference!.Document;
            if (from != to)
            {
                (referenced.TryGetValue(from, out var set) ? set : referenced[from] = new HashSet<string>(StringComparer.Ordinal)).Add(to);
            }
        }

        return (schemas, compiler._diagnostics, referenced);
    }

    /// <summary>
    /// Compiles any JSON Schema file (no contract markers needed) whose references may lead into the catalog's
    /// schemas. Its base URI is its <c>$id</c>, or the file's own URI without one; the root is null when it has problems.
    /// </summary>
    public static (SchemaNode? Root, IReadOnlyList<ContractDiagnostic> Diagnostics) CompileStandalone(string path, SourceDocument document, SchemaCatalog catalog)
    {
        var compiler = new SchemaCompiler();
        var root = document.Root;
        var id = new Uri(Path.GetFullPath(path)).AbsoluteUri;
        if (root.IsMapping && root.TryGetProperty("$id", out var idNode) && idNode.IsString)
        {
            if (SchemaUri.IsAbsolute(idNode.GetString()))
            {
                id = idNode.GetString();
            }
            else
            {
                compiler.Report(idNode, $"$id '{idNode.GetString()}' must be an absolute URI: references resolve against it");
            }
        }

        var node = compiler.CompileNode(root, SchemaScope.Root(id), new List<Vocabulary>());

        // The catalog's schemas, for references into them; a catalog schema with the file's own $id (the file is that
        // schema, or an edited copy of it) is replaced by the file, and references to it by file name lead to the file.
        foreach (var contract in catalog.Contracts)
        {
            if (SchemaUri.Normalize(contract.Id) == SchemaUri.Normalize(id))
            {
                compiler._idsByFileName[contract.FileName] = SchemaUri.Normalize(id);
                continue;
            }

            var loaded = DocumentLoader.Load(contract.FileName, Encoding.UTF8.GetBytes(contract.Json), DocumentFormat.Json);
            compiler.CompileContract(contract.FileName, contract.Json, loaded.Document!);
        }

        compiler.ResolveReferences();
        return (compiler._diagnostics.Count == 0 ? node : null, compiler._diagnostics);
    }

    private ContractSchema? CompileContract(string fileName, string json, SourceDocument document)
    {
        var root = document.Root;
        if (!root.IsMapping)
        {
            Report(root, "a contract schema must be a JSON object");
            return null;
        }

        var id = RequireString(root, "$id");
        var family = RequireString(root, "x-contract");
        string? schemaVersion = null;
        if (root.TryGetProperty("properties", out var properties) && properties.TryGetProperty("schema_version", out var versionSchema) &&
            versionSchema.TryGetProperty("const", out var constant) && constant.IsString)
        {
            schemaVersion = constant.GetString();
        }
        else
        {
            Report(root, "a contract schema must declare properties.schema_version with a string 'const': the contract identifier");
        }

        if (id is not null && !SchemaUri.IsAbsolute(id) && root.TryGetProperty("$id", out var idNode))
        {
            Report(idNode, $"$id '{id}' must be an absolute URI, such as 'https://example.com/schemas/{fileName}': references from other schemas resolve against it");
            id = null;
        }

        if (id is null || family is null || schemaVersion is null)
        {
            return null;
        }

        _idsByFileName[fileName] = SchemaUri.Normalize(id);

        var vocabularies = new List<Vocabulary>();
        var node = CompileNode(root, SchemaScope.Root(id), vocabularies);
        return new ContractSchema(fileName, id, schemaVersion, family, root.GetOptionalString("title"), root.GetOptionalString("description"), json, vocabularies, node);
    }

    private SchemaNode CompileNode(DocumentNode source, SchemaScope scope, List<Vocabulary> vocabularies)
    {
        string? anchor = null;
        var identified = source;
        if (source.IsMapping && !source.TryGetProperty("$ref", out _) && source.TryGetProperty("$id", out var idNode) && idNode.IsString && scope.DocumentPointer.Length > 0)
        {
            (scope, anchor) = Identify(idNode, scope);
            identified = idNode;
        }

        var registryKey = scope.Key;
        var node = new SchemaNode(registryKey, scope.Document);
        Register(registryKey, node, identified);
        if (anchor is not null)
        {
            Register(anchor, node, identified);
        }

        var documentKey = scope.DocumentKey;
        if (documentKey != registryKey && !_registry.ContainsKey(documentKey))
        {
            _registry[documentKey] = node;
        }

        if (source.Kind == DocumentValueKind.Boolean)
        {
            if (!source.GetBoolean())
            {
                node.Not = new SchemaNode(registryKey + "/not", scope.Document);
            }

            return node;
        }

        if (!source.IsMapping)
        {
            Report(source, "a schema must be an object or a boolean");
            return node;
        }

        foreach (var (key, value) in source.EnumerateProperties())
        {
            var keyword = key.GetString();
            switch (keyword)
            {
                case "$ref":
                    node.ReferenceText = ExpectString(value);
                    _references.Add((node, value, scope.Base));
                    break;
                case "type":
                    node.Types = ReadTypes(value);
                    break;
                case "properties":
                    node.Properties = new Dictionary<string, PropertySchema>(StringComparer.Ordinal);
                    foreach (var (name, schema) in value.EnumerateProperties())
                    {
                        node.Properties[name.GetString()] = new PropertySchema(CompileNode(schema, scope.Child(keyword, name.GetString()), vocabularies), -1);
                    }

                    break;
                case "required":
                    node.Required = ReadRequired(value);
                    break;
                case "additionalProperties":
                    if (value.Kind == DocumentValueKind.Boolean)
                    {
                        node.AdditionalPropertiesForbidden = !value.GetBoolean();
                    }
                    else
                    {
                        node.AdditionalProperties = CompileNode(value, scope.Child("additionalProperties"), vocabularies);
                    }

                    break;
                case "items":
                    if (value.IsSequence)
                    {
                        node.TupleItems = CompileList(value, scope.Child("items"), vocabularies);
                    }
                    else
                    {
                        node.Items = CompileNode(value, scope.Child("items"), vocabularies);
                    }

                    break;
                case "additionalItems":
                    if (value.Kind == DocumentValueKind.Boolean)
                    {
                        node.AdditionalItemsForbidden = !value.GetBoolean();
                    }
                    else
                    {
                        node.AdditionalItems = CompileNode(value, scope.Child("additionalItems"), vocabularies);
                    }

                    break;
                case "contains":
                    node.Contains = CompileNode(value, scope.Child("contains"), vocabularies);
                    break;
                case "minProperties":
                    node.MinProperties = ExpectCount(value);
                    break;
                case "maxProperties":
                    node.MaxProperties = ExpectCount(value);
                    break;
                case "propertyNames":
                    node.PropertyNames = CompileNode(value, scope.Child("propertyNames"), vocabularies);
                    break;
                case "patternProperties":
                    node.PatternProperties = value.EnumerateProperties()
                        .Select(pair => (Pattern: CompilePattern(pair.Key), Schema: CompileNode(pair.Value, scope.Child(keyword, pair.Key.GetString()), vocabularies)))
                        .Where(pair => pair.Pattern is not null)
                        .Select(pair => (pair.Pattern!, pair.Schema))
                        .ToArray();
                    break;
                case "dependencies":
                    foreach (var (name, dependency) in value.EnumerateProperties())
                    {
                        if (dependency.IsSequence)
                        {
                            (node.DependentRequired ??= new Dictionary<string, string[]>(StringComparer.Ordinal))[name.GetString()] = dependency.EnumerateItems().Select(ExpectString).ToArray();
                        }
                        else
                        {
                            (node.DependentSchemas ??= new Dictionary<string, SchemaNode>(StringComparer.Ordinal))[name.GetString()] = CompileNode(dependency, scope.Child(keyword, name.GetString()), vocabularies);
                        }
                    }

                    break;
                case "multipleOf":
                    node.MultipleOf = ExpectNumber(value);
                    if (node.MultipleOf is not > 0)
                    {
                        Report(value, "multipleOf must be a number greater than 0");
                    }

                    break;
                case "if":
                    node.If = CompileNode(value, scope.Child("if"), vocabularies);
                    break;
                case "then":
                    node.Then = CompileNode(value, scope.Child("then"), vocabularies);
                    break;
                case "else":
                    node.Else = CompileNode(value, scope.Child("else"), vocabularies);
                    break;
                case "minItems":
                    node.MinItems = ExpectCount(value);
                    break;
                case "maxItems":
                    node.MaxItems = ExpectCount(value);
                    break;
                case "uniqueItems":
                    node.UniqueItems = value.GetBoolean();
                    break;
                case "minLength":
                    node.MinLength = ExpectCount(value);
                    break;
                case "maxLength":
                    node.MaxLength = ExpectCount(value);
                    break;
                case "pattern":
                    node.Pattern = CompilePattern(value);
                    break;
                case "minimum":
                    node.Minimum = ExpectNumber(value);
                    break;
                case "maximum":
                    node.Maximum = ExpectNumber(value);
                    break;
                case "exclusiveMinimum":
                    node.ExclusiveMinimum = ExpectNumber(value);
                    break;
                case "exclusiveMaximum":
                    node.ExclusiveMaximum = ExpectNumber(value);
                    break;
                case "enum":
                    node.Enum = value.EnumerateItems().Select(ReadConstant).ToArray();
                    if (node.Enum.All(constant => constant.Kind == DocumentValueKind.String))
                    {
                        node.StringEnum = new HashSet<string>(node.Enum.Select(constant => constant.Text), StringComparer.Ordinal);
                        node.Utf8StringEnum = node.StringEnum.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
                    }

                    break;
                case "const":
                    node.Const = ReadConstant(value);
                    break;
                case "format":
                    node.Format = ExpectString(value);
                    if (!StringFormats.IsKnown(node.Format))
                    {
                        Report(value, $"format '{node.Format}' is not supported; supported formats: {string.Join(", ", StringFormats.Names)}");
                    }

                    break;
                case "allOf":
                    node.AllOf = CompileList(value, scope.Child("allOf"), vocabularies);
                    break;
                case "anyOf":
                    node.AnyOf = CompileList(value, scope.Child("anyOf"), vocabularies);
                    break;
                case "oneOf":
                    node.OneOf = CompileList(value, scope.Child("oneOf"), vocabularies);
                    break;
                case "not":
                    node.Not = CompileNode(value, scope.Child("not"), vocabularies);
                    break;
                case "definitions":
                    foreach (var (name, schema) in value.EnumerateProperties())
                    {
                        CompileNode(schema, scope.Child(keyword, name.GetString()), vocabularies);
                    }

                    break;
                default:
                    if (!Annotations.Contains(keyword) && !keyword.StartsWith("x-", StringComparison.Ordinal))
                    {
                        Report(key, $"keyword '{keyword}' is not supported by the contract validator");
                    }

                    break;
            }
        }

        AssignRequiredBits(node);
        if (source.TryGetProperty("x-vocabulary", out var vocabularyName))
        {
            node.Vocabulary = ReadVocabulary(source, scope, ExpectString(vocabularyName), node);
            if (node.Vocabulary is not null)
            {
                vocabularies.Add(node.Vocabulary);
            }
        }

        return node;
    }

    /// <summary>
    /// Gives each of the first 64 required names a bit of the mask the validator fills in one pass over an object's
    /// properties; names beyond 64 are looked up one by one.
    /// </summary>
    private static void AssignRequiredBits(SchemaNode node)
    {
        if (node.Required.Length == 0)
        {
            return;
        }

        node.Properties ??= new Dictionary<string, PropertySchema>(StringComparer.Ordinal);
        var masked = Math.Min(node.Required.Length, SchemaNode.RequiredMaskBits);
        for (var bit = 0; bit < masked; bit++)
        {
            var name = node.Required[bit];
            node.Properties[name] = node.Properties.TryGetValue(name, out var property)
                ? property with { RequiredBit = bit }
                : new PropertySchema(null, bit);
        }

        node.RequiredMask = masked == SchemaNode.RequiredMaskBits ? ulong.MaxValue : (1UL << masked) - 1;
    }

    private Vocabulary? ReadVocabulary(DocumentNode source, SchemaScope scope, string name, SchemaNode node)
    {
        if (node.StringEnum is null || node.Enum is null)
        {
            Report(source, $"vocabulary '{name}' must be an 'enum' of strings");
            return null;
        }

        var descriptions = source.TryGetProperty("enumDescriptions", out var list) ? list.EnumerateItems().Select(item => item.GetString()).ToArray() : null;
        if (descriptions is not null && descriptions.Length != node.Enum.Length)
        {
            Report(list, $"vocabulary '{name}' has {node.Enum.Length} terms but {descriptions.Length} enumDescriptions");
            descriptions = null;
        }

        string? code = null;
        if (source.TryGetProperty("x-diagnostic", out var codeNode))
        {
            code = ExpectString(codeNode);
            if (DiagnosticCatalog.Find(code) is null)
            {
                Report(codeNode, $"x-diagnostic '{code}' is not a known diagnostic code");
                code = null;
            }
        }

        var terms = node.Enum.Select((constant, index) => new VocabularyTerm(constant.Text, descriptions?[index])).ToArray();
        var definition = SchemaUri.UnescapeToken(scope.DocumentPointer.Substring(scope.DocumentPointer.LastIndexOf('/') + 1));
        return new Vocabulary(name, scope.Document, definition, source.GetOptionalString("description"), code, terms);
    }

    private void ResolveReferences()
    {
        foreach (var (node, source, baseUri) in _references)
        {
            var text = node.ReferenceText!;
            if (ResolveTarget(baseUri, text) is { } target && _registry.TryGetValue(target, out var resolved))
            {
                node.Reference = resolved;
            }
            else
            {
                Report(source, $"$ref '{text}' resolves to no schema in the catalog; a reference is resolved against the nearest $id and names a JSON pointer ('#/definitions/<name>'), a '#name' a subschema's $id declares, or a schema by its $id or file name ('markitect.memory.graph.v1.schema.json#/definitions/id')");
            }
        }

        foreach (var (node, source, _) in _references)
        {
            var seen = new HashSet<SchemaNode>();
            var current = node;
            while (current.Reference is not null)
            {
                if (!seen.Add(current))
                {
                    Report(source, $"$ref '{node.ReferenceText}' refers to itself through a chain of references");
                    node.Reference = null;
                    current = node;
                    break;
                }

                current = current.Reference;
            }

            node.Target = current;
        }
    }

    /// <summary>
    /// The registry key a reference names: its resource resolved against the base URI in scope (RFC 3986), else, for a
    /// bare file name, the catalog schema of that file (as an editor resolves it next to the referring file); then its
    /// fragment, percent-decoded: a JSON pointer, or a name a subschema's <c>$id</c> declares.
    /// </summary>
    private string? ResolveTarget(string baseUri, string reference)
    {
        var resource = SchemaUri.Resolve(baseUri, reference);
        if ((resource is null || !_registry.ContainsKey(resource + "#")) && _idsByFileName.TryGetValue(SchemaUri.WithoutFragment(reference), out var byFileName))
        {
            resource = byFileName;
        }

        return resource is null ? null : resource + "#" + SchemaUri.Fragment(reference);
    }

    /// <summary>
    /// Applies a subschema's <c>$id</c>: a plain name (<c>#foo</c>) names it within the current resource; any other
    /// value, resolved against the current base, makes it a resource of its own that its subschemas resolve against.
    /// </summary>
    private (SchemaScope Scope, string? Anchor) Identify(DocumentNode idNode, SchemaScope scope)
    {
        var id = idNode.GetString();
        var resource = SchemaUri.Resolve(scope.Base, id);
        if (resource is null)
        {
            Report(idNode, $"$id '{id}' cannot be resolved against the base URI '{scope.Base}'");
            return (scope, null);
        }

        var inner = SchemaUri.WithoutFragment(id).Length == 0 ? scope : scope.Rebased(resource);
        var name = SchemaUri.Fragment(id);
        return (inner, name.Length == 0 || name.StartsWith("/", StringComparison.Ordinal) ? null : inner.Base + "#" + name);
    }

    private void Register(string key, SchemaNode node, DocumentNode source)
    {
        if (_registry.ContainsKey(key))
        {
            Report(source, $"two subschemas have the identifier '{key}'; a reference to it would be ambiguous");
            return;
        }

        _registry[key] = node;
    }

    private string[] ReadRequired(DocumentNode value)
    {
        var names = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateItems())
        {
            var name = ExpectString(item);
            if (!seen.Add(name))
            {
                Report(item, $"required names '{name}' twice; its names must be unique");
            }

            names.Add(name);
        }

        return names.ToArray();
    }

    private SchemaNode[] CompileList(DocumentNode value, SchemaScope scope, List<Vocabulary> vocabularies) =>
        value.EnumerateItems().Select((item, index) => CompileNode(item, scope.Child(index.ToString(CultureInfo.InvariantCulture)), vocabularies)).ToArray();

    private SchemaTypes ReadTypes(DocumentNode value)
    {
        if (value.IsSequence)
        {
            var types = SchemaTypes.Any;
            foreach (var item in value.EnumerateItems())
            {
                types |= ReadType(item);
            }

            return types;
        }

        return ReadType(value);
    }

    private SchemaTypes ReadType(DocumentNode value)
    {
        switch (value.GetString())
        {
            case "object": return SchemaTypes.Object;
            case "array": return SchemaTypes.Array;
            case "string": return SchemaTypes.String;
            case "integer": return SchemaTypes.Integer;
            case "number": return SchemaTypes.Number;
            case "boolean": return SchemaTypes.Boolean;
            case "null": return SchemaTypes.Null;
            default:
                Report(value, $"'{value.GetString()}' is not a JSON Schema type");
                return SchemaTypes.Any;
        }
    }

    private SchemaConstant ReadConstant(DocumentNode value)
    {
        if (value.IsMapping || value.IsSequence)
        {
            return new SchemaConstant(value.Kind, CanonicalValue.Of(value), 0);
        }

        value.TryGetDouble(out var number);
        return new SchemaConstant(value.Kind, value.GetString(), number);
    }

    private Regex? CompilePattern(DocumentNode value)
    {
        if (EcmaPattern.Translate(ExpectString(value), out var problem) is not { } pattern)
        {
            Report(value, $"pattern is not an ECMA-262 regular expression: {problem}");
            return null;
        }

        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException exception)
        {
            Report(value, $"pattern is not a valid regular expression: {exception.Message}");
            return null;
        }
    }

    private string? RequireString(DocumentNode mapping, string name)
    {
        if (mapping.TryGetProperty(name, out var value) && value.IsString)
        {
            return value.GetString();
        }

        Report(mapping, $"a contract schema must have a string '{name}'");
        return null;
    }

    private string ExpectString(DocumentNode value)
    {
        if (!value.IsString)
        {
            Report(value, $"expected a string, found {value.Describe()}");
        }

        return value.GetString();
    }

    private int? ExpectCount(DocumentNode value)
    {
        // An integer-valued decimal such as 2.0 is an integer in JSON Schema.
        if (value.TryGetDouble(out var count) && count >= 0 && count <= int.MaxValue && Math.Floor(count) == count)
        {
            return (int)count;
        }

        Report(value, $"expected a non-negative integer, found {value.Describe()}");
        return null;
    }

    private double? ExpectNumber(DocumentNode value)
    {
        if (value.TryGetDouble(out var number))
        {
            return number;
        }

        Report(value, $"expected a number, found {value.Describe()}");
        return null;
    }

    private void Report(DocumentNode node, string message) =>
        _diagnostics.Add(DiagnosticCatalog.InvalidSchema.Create(node.Location, message));
}
