using System.Globalization;
using System.Text.RegularExpressions;
using MemoryContracts.Documents;
using MemoryContracts.Schemas;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.References;
using NJsonSchema.Validation;

namespace MemoryContracts.Reference;

/// <summary>
/// Validates with NJsonSchema, the reference implementation the compiled validator is tested against. It is slower
/// (the document is converted to Newtonsoft tokens first) and its messages are plainer; set it as
/// <c>ValidationOptions.SchemaEngine</c> (or pass <c>--engine reference</c>) to cross-check a result. Its known gaps
/// are listed in docs/contracts.md.
/// </summary>
public sealed class ReferenceSchemaEngine : ISchemaEngine
{
    private static readonly Regex PathSegment = new(@"\.([^.\[\]]+)|\[(\d+)\]", RegexOptions.CultureInvariant);
    private readonly Dictionary<string, JsonSchema> _bySchemaVersion;

    private ReferenceSchemaEngine(Dictionary<string, JsonSchema> bySchemaVersion) => _bySchemaVersion = bySchemaVersion;

    /// <summary>Loads every schema of a catalog into NJsonSchema, resolving references between them by <c>$id</c>.</summary>
    public static ReferenceSchemaEngine Create(SchemaCatalog catalog)
    {
        var loaded = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        var pending = catalog.Contracts.ToList();
        while (pending.Count > 0)
        {
            var ready = pending.FirstOrDefault(contract => ReferencedIds(contract).All(id => id == contract.Id || loaded.ContainsKey(id)))
                ?? throw new InvalidOperationException("The contract schemas refer to each other in a cycle: " + string.Join(", ", pending.Select(contract => contract.Id)));
            var schema = JsonSchema.FromJsonAsync(ready.Json, ready.Id, root => CreateResolver(root, loaded)).GetAwaiter().GetResult();
            loaded[ready.Id] = schema;
            pending.Remove(ready);
        }

        return new ReferenceSchemaEngine(catalog.Contracts.ToDictionary(contract => contract.SchemaVersion, contract => loaded[contract.Id], StringComparer.Ordinal));
    }

    /// <inheritdoc />
    public IReadOnlyList<SchemaViolation> Validate(DocumentNode root, ContractSchema contract)
    {
        var nodes = new Dictionary<string, DocumentNode>(StringComparer.Ordinal);
        var token = ToToken(root, string.Empty, nodes);
        var errors = _bySchemaVersion[contract.SchemaVersion].Validate(token);
        return Flatten(errors).Select(error => ToViolation(error, root, nodes)).ToArray();
    }

    /// <summary>NJsonSchema nests the errors of array items and properties; anyOf and oneOf stay whole, as one failure.</summary>
    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors)
    {
        foreach (var error in errors)
        {
            if (error is ChildSchemaValidationError child && error.Kind is not (ValidationErrorKind.NotAnyOf or ValidationErrorKind.NotOneOf))
            {
                foreach (var nested in Flatten(child.Errors.Values.SelectMany(list => list)))
                {
                    yield return nested;
                }
            }
            else
            {
                yield return error;
            }
        }
    }

    private static JsonReferenceResolver CreateResolver(JsonSchema root, Dictionary<string, JsonSchema> loaded)
    {
        var resolver = new JsonReferenceResolver(new JsonSchemaAppender(root, new DefaultTypeNameGenerator()));
        foreach (var entry in loaded)
        {
            resolver.AddDocumentReference(entry.Key, entry.Value);
        }

        return resolver;
    }

    private static IEnumerable<string> ReferencedIds(ContractSchema contract) =>
        Regex.Matches(contract.Json, "\"\\$ref\"\\s*:\\s*\"([^\"#]+)#").Cast<Match>().Select(match => new Uri(new Uri(contract.Id), match.Groups[1].Value).AbsoluteUri).Distinct();

    private static JToken ToToken(DocumentNode node, string pointer, Dictionary<string, DocumentNode> nodes)
    {
        nodes[pointer] = node;
        switch (node.Kind)
        {
            case DocumentValueKind.Mapping:
                var obj = new JObject();
                foreach (var (key, value) in node.EnumerateProperties())
                {
                    var name = key.GetString();
                    if (obj.Property(name) is null)
                    {
                        obj.Add(name, ToToken(value, pointer + "/" + name.Replace("~", "~0").Replace("/", "~1"), nodes));
                    }
                }

                return obj;
            case DocumentValueKind.Sequence:
                var array = new JArray();
                foreach (var item in node.EnumerateItems())
                {
                    array.Add(ToToken(item, pointer + "/" + array.Count.ToString(CultureInfo.InvariantCulture), nodes));
                }

                return array;
            case DocumentValueKind.Integer:
                return node.TryGetInt64(out var integer) ? new JValue(integer) : new JValue(node.GetString());
            case DocumentValueKind.Float:
                node.TryGetDouble(out var number);
                return new JValue(number);
            case DocumentValueKind.Boolean:
                return new JValue(node.GetBoolean());
            case DocumentValueKind.Null:
                return JValue.CreateNull();
            default:
                return new JValue(node.GetString());
        }
    }

    private static SchemaViolation ToViolation(ValidationError error, DocumentNode root, Dictionary<string, DocumentNode> nodes)
    {
        var pointer = ToPointer(error.Path ?? string.Empty);
        var keyword = ToKeyword(error.Kind);
        var instancePointer = keyword == SchemaKeyword.Required || keyword == SchemaKeyword.AdditionalProperties ? ParentOf(pointer) : pointer;
        var instance = nodes.TryGetValue(instancePointer, out var found) ? found : root;
        if (keyword == SchemaKeyword.AdditionalProperties && instance.IsMapping)
        {
            foreach (var (key, _) in instance.EnumerateProperties())
            {
                if (key.GetString() == error.Property)
                {
                    instance = key;
                    break;
                }
            }
        }

        var code = keyword == SchemaKeyword.Enum ? DiagnosticCodeOf(error.Schema) : null;
        var display = pointer.Length == 0 ? "the document" : "'" + pointer.TrimStart('/').Replace('/', '.') + "'";
        return new SchemaViolation(instance, pointer, keyword, $"{display} fails JSON Schema check '{error.Kind}'", code);
    }

    private static string? DiagnosticCodeOf(JsonSchema? schema)
    {
        for (var current = schema; current is not null; current = current.HasReference ? current.Reference : null)
        {
            if (current.ExtensionData is { } data && data.TryGetValue("x-diagnostic", out var code) && code is string text)
            {
                return text;
            }

            if (!current.HasReference)
            {
                break;
            }
        }

        return null;
    }

    private static string ToPointer(string path)
    {
        // NJsonSchema paths look like "#/nodes[3].kind".
        var body = path.StartsWith("#/", StringComparison.Ordinal) ? "." + path.Substring(2) : path.TrimStart('#');
        return string.Concat(PathSegment.Matches(body).Cast<Match>().Select(match =>
            "/" + (match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value)));
    }

    private static string ParentOf(string pointer) => pointer.Substring(0, Math.Max(0, pointer.LastIndexOf('/')));

    private static SchemaKeyword ToKeyword(ValidationErrorKind kind) => kind switch
    {
        ValidationErrorKind.PropertyRequired => SchemaKeyword.Required,
        ValidationErrorKind.NoAdditionalPropertiesAllowed => SchemaKeyword.AdditionalProperties,
        ValidationErrorKind.NotInEnumeration => SchemaKeyword.Enum,
        ValidationErrorKind.StringTooShort => SchemaKeyword.MinLength,
        ValidationErrorKind.StringTooLong => SchemaKeyword.MaxLength,
        ValidationErrorKind.PatternMismatch => SchemaKeyword.Pattern,
        ValidationErrorKind.NumberTooSmall => SchemaKeyword.Minimum,
        ValidationErrorKind.NumberTooBig => SchemaKeyword.Maximum,
        ValidationErrorKind.TooFewItems => SchemaKeyword.MinItems,
        ValidationErrorKind.TooManyItems => SchemaKeyword.MaxItems,
        ValidationErrorKind.ItemsNotUnique => SchemaKeyword.UniqueItems,
        ValidationErrorKind.DateTimeExpected => SchemaKeyword.Format,
        ValidationErrorKind.NotAnyOf => SchemaKeyword.AnyOf,
        ValidationErrorKind.NotOneOf => SchemaKeyword.OneOf,
        ValidationErrorKind.ExcludedSchemaValidates => SchemaKeyword.Not,
        _ when kind.ToString().EndsWith("Expected", StringComparison.Ordinal) => SchemaKeyword.Type,
        _ => SchemaKeyword.Const,
    };
}
