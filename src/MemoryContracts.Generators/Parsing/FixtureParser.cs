using System.Collections.Generic;
using System.Linq;
using MemoryContracts.Generators.Model;

namespace MemoryContracts.Generators.Parsing;

/// <summary>Reads what the generator needs of a fixture: its contract, id, and the ids of a graph's elements.</summary>
internal static class FixtureParser
{
    public static FixtureModel Parse(string path, string displayPath, string text) =>
        Utf8FixtureReader.TryParse(path, FileStem(displayPath), text) ?? ParseTree(path, displayPath, text);

    /// <summary>Reads a fixture through the YamlDotNet tree: every file the byte reader declines, with its diagnostics.</summary>
    internal static FixtureModel ParseTree(string path, string displayPath, string text)
    {
        var name = FileStem(displayPath);
        try
        {
            var root = YamlTree.Read(text);
            if (root.Kind != YamlNodeKind.Mapping)
            {
                return Empty(path, name, DiagnosticInfos.At("MC1002", "a fixture must be a mapping with a 'schema_version'", path, root.Position));
            }

            return new FixtureModel(
                path,
                name,
                root.Text("schema_version"),
                root.Text("id"),
                root.Text("title"),
                Elements(root["nodes"]),
                Elements(root["edges"]),
                Elements(root["events"]),
                EquatableArray<DiagnosticInfo>.Empty);
        }
        catch (YamlTreeException exception)
        {
            return Empty(path, name, DiagnosticInfos.FromRead(exception, path));
        }
    }

    /// <summary>The file name without its extensions: <c>memory/decisions.yaml</c> is <c>decisions</c>.</summary>
    public static string FileStem(string path)
    {
        var name = path.Substring(path.LastIndexOfAny(new[] { '/', '\\' }) + 1);
        foreach (var extension in new[] { ".yaml", ".yml", ".json" })
        {
            if (name.EndsWith(extension, System.StringComparison.OrdinalIgnoreCase))
            {
                return name.Substring(0, name.Length - extension.Length);
            }
        }

        return name;
    }

    private static EquatableArray<ElementModel> Elements(YamlTreeNode? list)
    {
        if (list is not { Kind: YamlNodeKind.Sequence })
        {
            return EquatableArray<ElementModel>.Empty;
        }

        var elements = new List<ElementModel>(list.Items.Count);
        foreach (var item in list.Items.Where(item => item.Kind == YamlNodeKind.Mapping))
        {
            if (item["id"] is { Kind: YamlNodeKind.Scalar } id)
            {
                elements.Add(new ElementModel(id.Value, item.Text("kind"), item.Text("title") ?? item.Text("summary"), id.Position));
            }
        }

        return new EquatableArray<ElementModel>(elements);
    }

    private static FixtureModel Empty(string path, string name, DiagnosticInfo diagnostic) =>
        new(path, name, null, null, null, EquatableArray<ElementModel>.Empty, EquatableArray<ElementModel>.Empty, EquatableArray<ElementModel>.Empty, new EquatableArray<DiagnosticInfo>(new[] { diagnostic }));
}
