using System.Collections.Generic;
using System.Linq;
using MemoryContracts.Generators.Model;

namespace MemoryContracts.Generators.Parsing;

/// <summary>Reads what the generator needs of a contract schema: identity, family, vocabularies and exported field names.</summary>
internal static class SchemaParser
{
    public static SchemaParseResult Parse(string path, string text, bool builtIn)
    {
        YamlTreeNode root;
        try
        {
            root = YamlTree.Read(text);
        }
        catch (YamlTreeException exception)
        {
            return Failed(DiagnosticInfos.At("MC9002", "the contract schema cannot be read: " + exception.Message, path, exception.StartMark, exception.EndMark));
        }

        var id = root.Text("$id");
        var family = root.Text("x-contract");
        var version = root["properties"]?["schema_version"]?.Text("const");
        if (root.Kind != YamlNodeKind.Mapping || id is null || family is null || version is null)
        {
            return Failed(DiagnosticInfos.At("MC9002", "a contract schema needs '$id', 'x-contract' and properties.schema_version with a 'const'", path, root.Position));
        }

        var diagnostics = new List<DiagnosticInfo>();
        var vocabularies = new List<VocabularyModel>();
        foreach (var (definition, node) in Definitions(root))
        {
            var name = node.Text("x-vocabulary");
            if (name is null)
            {
                continue;
            }

            var terms = node["enum"];
            if (terms is null || terms.Kind != YamlNodeKind.Sequence || terms.Items.Any(item => item.Kind != YamlNodeKind.Scalar))
            {
                diagnostics.Add(DiagnosticInfos.At("MC9002", $"vocabulary '{name}' must be an 'enum' of strings", path, node.Position));
                continue;
            }

            var descriptions = node["enumDescriptions"]?.Items;
            vocabularies.Add(new VocabularyModel(name, definition, node.Text("description"), new EquatableArray<TermModel>(
                terms.Items.Select((term, index) => new TermModel(term.Value, descriptions is not null && index < descriptions.Count ? descriptions[index].Value : null)))));
        }

        var fieldSets = Marked(root, "(root)")
            .Select(definition => FieldSet(definition.Definition, definition.Node, path, diagnostics))
            .Where(fields => fields is not null)
            .Select(fields => fields!);
        var schema = new SchemaModel(path, id, version, family, new EquatableArray<VocabularyModel>(vocabularies), builtIn) { FieldSets = new EquatableArray<FieldSetModel>(fieldSets.ToList()) };
        return new SchemaParseResult(schema, new EquatableArray<DiagnosticInfo>(diagnostics));
    }

    private static FieldSetModel? FieldSet(string definition, YamlTreeNode node, string path, List<DiagnosticInfo> diagnostics)
    {
        var name = node.Text("x-fields")!;
        if (node["properties"] is not { Kind: YamlNodeKind.Mapping } properties || properties.Pairs.Count == 0)
        {
            diagnostics.Add(DiagnosticInfos.At("MC9002", $"field set '{name}' must mark an object schema with 'properties'", path, node.Position));
            return null;
        }

        return new FieldSetModel(name, definition, new EquatableArray<string>(properties.Pairs.Select(pair => pair.Key.Value).ToList()));
    }

    /// <summary>
    /// Every object schema marked with <c>x-fields</c>, at any depth (the root, a definition, an object nested in a
    /// property), in document order, each named by its path from the root (<c>definitions/item</c>, <c>properties/recipe</c>).
    /// </summary>
    private static IEnumerable<(string Definition, YamlTreeNode Node)> Marked(YamlTreeNode node, string location)
    {
        if (node.Kind != YamlNodeKind.Mapping)
        {
            yield break;
        }

        if (node.Text("x-fields") is not null)
        {
            yield return (location, node);
        }

        foreach (var pair in node.Pairs)
        {
            var children = pair.Value.Kind == YamlNodeKind.Sequence
                ? pair.Value.Items.Select((item, index) => (Node: item, Location: $"{pair.Key.Value}/{index}"))
                : new[] { (Node: pair.Value, Location: pair.Key.Value) };
            foreach (var child in children)
            {
                foreach (var marked in Marked(child.Node, location == "(root)" ? child.Location : $"{location}/{child.Location}"))
                {
                    yield return marked;
                }
            }
        }
    }

    private static IEnumerable<(string Definition, YamlTreeNode Node)> Definitions(YamlTreeNode root) =>
        root["definitions"] is { Kind: YamlNodeKind.Mapping } definitions
            ? definitions.Pairs.Select(pair => (pair.Key.Value, pair.Value))
            : Enumerable.Empty<(string, YamlTreeNode)>();

    private static SchemaParseResult Failed(DiagnosticInfo diagnostic) => new(null, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));
}
