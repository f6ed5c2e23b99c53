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
    private readonly List<(SchemaNode Node, DocumentNode Source)> _references = new();
    private readonly Dictionary<string, string> _idsByUri = new(StringComparer.Ordinal);
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
        foreach (var (node, _) in compiler._references.Where(reference => reference.Node.Reference is not null))
        {
            var from = SchemaIdOf(node.Pointer);
            var to = SchemaIdOf(node.Reference!.Pointer);
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
        foreach (var contract in catalog.Contracts)
        {
            var loaded = DocumentLoader.Load(contract.FileName, Encoding.UTF8.GetBytes(contract.Json), DocumentFormat.Json);
            compiler.CompileContract(contract.FileName, contract.Json, loaded.Document!);
        }

        var root = document.Root;
        var id = new Uri(Path.GetFullPath(path)).AbsoluteUri;
        if (root.IsMapping && root.TryGetProperty("$id", out var idNode) && idNode.IsString)
        {
            if (Uri.TryCreate(idNode.GetString(), UriKind.Absolute, out _))
            {
                id = idNode.GetString();
            }
            else
            {
                compiler.Report(idNode, $"$id '{idNode.GetString()}' must be an absolute URI: references resolve against it");
            }
        }

        compiler._idsByUri[new Uri(id).AbsoluteUri] = id;
        var node = compiler.CompileNode(root, id + "#", id, new List<Vocabulary>());
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

        if (id is not null && !Uri.TryCreate(id, UriKind.Absolute, out _) && root.TryGetProperty("$id", out var idNode))
        {
            Report(idNode, $"$id '{id}' must be an absolute URI, such as 'https://example.com/schemas/{fileName}': references from other schemas resolve against it");
            id = null;
        }

        if (id is null || family is null || schemaVersion is null)
        {
            return null;
        }

        _idsByUri[new Uri(id).AbsoluteUri] = id;
        _idsByFileName[fileName] = id;

        var vocabularies = new List<Vocabulary>();
        var node = CompileNode(root, id + "#", id, vocabularies);
        return new ContractSchema(fileName, id, schemaVersion, family, root.GetOptionalString("title"), root.GetOptionalString("description"), json, vocabularies, node);
    }

    private SchemaNode CompileNode(DocumentNode source, string pointer, string schemaId, List<Vocabulary> vocabularies)
    {
        var node = new SchemaNode(pointer);
        _registry[pointer] = node;
        if (source.Kind == DocumentValueKind.Boolean)
        {
            if (!source.GetBoolean())
            {
                node.Not = new SchemaNode(pointer + "/not");
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
                    _references.Add((node, value));
                    break;
                case "type":
                    node.Types = ReadTypes(value);
                    break;
                case "properties":
                    node.Properties = new Dictionary<string, PropertySchema>(StringComparer.Ordinal);
                    foreach (var (name, schema) in value.EnumerateProperties())
                    {
                        node.Properties[name.GetString()] = new PropertySchema(CompileNode(schema, pointer + "/properties/" + name.GetString(), schemaId, vocabularies), -1);
                    }

                    break;
                case "required":
                    node.Required = value.EnumerateItems().Select(ExpectString).ToArray();
                    break;
                case "additionalProperties":
                    if (value.Kind == DocumentValueKind.Boolean)
                    {
                        node.AdditionalPropertiesForbidden = !value.GetBoolean();
                    }
                    else
                    {
                        node.AdditionalProperties = CompileNode(value, pointer + "/additionalProperties", schemaId, vocabularies);
                    }

                    break;
                case "items":
                    if (value.IsSequence)
                    {
                        node.TupleItems = CompileList(value, pointer + "/items", schemaId, vocabularies);
                    }
                    else
                    {
                        node.Items = CompileNode(value, pointer + "/items", schemaId, vocabularies);
                    }

                    break;
                case "additionalItems":
                    if (value.Kind == DocumentValueKind.Boolean)
                    {
                        node.AdditionalItemsForbidden = !value.GetBoolean();
                    }
                    else
                    {
                        node.AdditionalItems = CompileNode(value, pointer + "/additionalItems", schemaId, vocabularies);
                    }

                    break;
                case "contains":
                    node.Contains = CompileNode(value, pointer + "/contains", schemaId, vocabularies);
                    break;
                case "minProperties":
                    node.MinProperties = ExpectCount(value);
                    break;
                case "maxProperties":
                    node.MaxProperties = ExpectCount(value);
                    break;
                case "propertyNames":
                    node.PropertyNames = CompileNode(value, pointer + "/propertyNames", schemaId, vocabularies);
                    break;
                case "patternProperties":
                    node.PatternProperties = value.EnumerateProperties()
                        .Select(pair => (Pattern: CompilePattern(pair.Key), Schema: CompileNode(pair.Value, pointer + "/patternProperties/" + pair.Key.GetString(), schemaId, vocabularies)))
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
                            (node.DependentSchemas ??= new Dictionary<string, SchemaNode>(StringComparer.Ordinal))[name.GetString()] = CompileNode(dependency, pointer + "/dependencies/" + name.GetString(), schemaId, vocabularies);
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
                    node.If = CompileNode(value, pointer + "/if", schemaId, vocabularies);
                    break;
                case "then":
                    node.Then = CompileNode(value, pointer + "/then", schemaId, vocabularies);
                    break;
                case "else":
                    node.Else = CompileNode(value, pointer + "/else", schemaId, vocabularies);
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
                    node.AllOf = CompileList(value, pointer + "/allOf", schemaId, vocabularies);
                    break;
                case "anyOf":
                    node.AnyOf = CompileList(value, pointer + "/anyOf", schemaId, vocabularies);
                    break;
                case "oneOf":
                    node.OneOf = CompileList(value, pointer + "/oneOf", schemaId, vocabularies);
                    break;
                case "not":
                    node.Not = CompileNode(value, pointer + "/not", schemaId, vocabularies);
                    break;
                case "definitions":
                    foreach (var (name, schema) in value.EnumerateProperties())
                    {
                        CompileNode(schema, schemaId + "#/definitions/" + name.GetString(), schemaId, vocabularies);
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

        AssignRequiredBits(source, node);
        if (source.TryGetProperty("x-vocabulary", out var vocabularyName))
        {
            node.Vocabulary = ReadVocabulary(source, pointer, schemaId, ExpectString(vocabularyName), node);
            if (node.Vocabulary is not null)
            {
                vocabularies.Add(node.Vocabulary);
            }
        }

        return node;
    }

    private void AssignRequiredBits(DocumentNode source, SchemaNode node)
    {
        if (node.Required.Length == 0)
        {
            return;
        }

        if (node.Required.Length > 64)
        {
            Report(source, "a schema may require at most 64 properties");
            return;
        }

        node.Properties ??= new Dictionary<string, PropertySchema>(StringComparer.Ordinal);
        for (var bit = 0; bit < node.Required.Length; bit++)
        {
            var name = node.Required[bit];
            node.Properties[name] = node.Properties.TryGetValue(name, out var property)
                ? property with { RequiredBit = bit }
                : new PropertySchema(null, bit);
        }
    }

    private Vocabulary? ReadVocabulary(DocumentNode source, string pointer, string schemaId, string name, SchemaNode node)
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
        var definition = pointer.Substring(pointer.LastIndexOf('/') + 1);
        return new Vocabulary(name, schemaId, definition, source.GetOptionalString("description"), code, terms);
    }

    private void ResolveReferences()
    {
        foreach (var (node, source) in _references)
        {
            var text = node.ReferenceText!;
            var target = ResolveTarget(SchemaIdOf(node.Pointer), text);
            if (_registry.TryGetValue(target, out var resolved))
            {
                node.Reference = resolved;
            }
            else
            {
                Report(source, $"$ref '{text}' resolves to no schema in the catalog; a reference is resolved against the schema's $id and names '#', '#/definitions/<name>', or another schema by its $id or file name ('markitect.memory.graph.v1.schema.json#/definitions/id')");
            }
        }

        foreach (var (node, source) in _references)
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

    private static string SchemaIdOf(string pointer) => pointer.Substring(0, pointer.IndexOf('#'));

    /// <summary>
    /// The registry key a reference names: its document resolved against the referring schema's <c>$id</c> (RFC 3986),
    /// else, for a bare file name, the catalog schema of that file (as an editor resolves it next to the referring file).
    /// </summary>
    private string ResolveTarget(string schemaId, string reference)
    {
        var hash = reference.IndexOf('#');
        var document = hash < 0 ? reference : reference.Substring(0, hash);
        var fragment = hash < 0 ? "#" : reference.Substring(hash);
        if (document.Length == 0)
        {
            return schemaId + fragment;
        }

        if (Uri.TryCreate(new Uri(schemaId), document, out var resolved) && _idsByUri.TryGetValue(resolved.AbsoluteUri, out var id))
        {
            return id + fragment;
        }

        return _idsByFileName.TryGetValue(document, out id) ? id + fragment : reference;
    }

    private SchemaNode[] CompileList(DocumentNode value, string pointer, string schemaId, List<Vocabulary> vocabularies) =>
        value.EnumerateItems().Select((item, index) => CompileNode(item, pointer + "/" + index.ToString(CultureInfo.InvariantCulture), schemaId, vocabularies)).ToArray();

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
        try
        {
            return new Regex(ExpectString(value), RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
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
