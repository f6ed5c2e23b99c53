using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MemoryContracts.Generators.Model;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MemoryContracts.Generators.Parsing;

/// <summary>The kind of a node of a read file.</summary>
internal enum YamlNodeKind
{
    Mapping,
    Sequence,
    Scalar,
}

/// <summary>A value of a YAML or JSON file with its position; aliases share the anchored node.</summary>
internal sealed class YamlTreeNode(YamlNodeKind kind, Mark start)
{
    public YamlNodeKind Kind { get; } = kind;

    public Mark Start { get; } = start;

    public Mark End { get; set; } = start;

    public string Value { get; set; } = string.Empty;

    /// <summary>A mapping's pairs (empty for other kinds; most nodes are scalars, so the list is made on first use).</summary>
    public List<KeyValuePair<YamlTreeNode, YamlTreeNode>> Pairs => _pairs ??= new();

    /// <summary>A sequence's items (empty for other kinds; made on first use).</summary>
    public List<YamlTreeNode> Items => _items ??= new();

    /// <summary>This node and everything below it, counted once per alias use.</summary>
    public int Size { get; set; } = 1;

    private List<KeyValuePair<YamlTreeNode, YamlTreeNode>>? _pairs;

    private List<YamlTreeNode>? _items;

    public YamlTreeNode? this[string key]
    {
        get
        {
            if (_pairs is null)
            {
                return null;
            }

            foreach (var pair in _pairs)
            {
                if (pair.Key.Value == key)
                {
                    return pair.Value;
                }
            }

            return null;
        }
    }

    public string? Text(string key) => this[key] is { Kind: YamlNodeKind.Scalar } value ? value.Value : null;

    public FilePosition Position => new((int)Start.Index, (int)End.Index, (int)Start.Line - 1, (int)Start.Column - 1, (int)End.Line - 1, (int)End.Column - 1);
}

/// <summary>A file that cannot be read, with the code and position to report.</summary>
internal sealed class YamlTreeException(string code, string message, Mark start, Mark end) : Exception(message)
{
    public string Code { get; } = code;

    public Mark StartMark { get; } = start;

    public Mark EndMark { get; } = end;
}

/// <summary>
/// Reads a YAML or JSON file into a tree without recursion, with the same bounds as the contract loader:
/// 64 levels of nesting (MC1008), 100,000 values added by aliases (MC1007), one document per file (MC1009).
/// </summary>
internal static class YamlTree
{
    private const int MaxDepth = 64;
    private const int MaxAliasExpansion = 100_000;

    public static YamlTreeNode Read(string text)
    {
        var parser = new Parser(new Scanner(new StringReader(text), skipComments: true));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out var end))
            {
                throw new YamlTreeException("MC1006", "the file is empty", end.Start, end.End);
            }

            parser.Consume<DocumentStart>();
            var root = ReadRoot(parser);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
            {
                throw new YamlTreeException("MC1009", "the file holds more than one YAML document", second.Start, second.End);
            }

            return root;
        }
        catch (YamlException exception)
        {
            throw new YamlTreeException("MC1001", "not well-formed YAML or JSON: " + exception.Message, exception.Start, exception.End);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new YamlTreeException("MC1001", "not well-formed YAML or JSON", at, at);
        }
    }

    private static YamlTreeNode ReadRoot(IParser parser)
    {
        var anchors = new Dictionary<string, YamlTreeNode>(StringComparer.Ordinal);
        var open = new Stack<YamlTreeNode>();
        var pendingKeys = new Stack<YamlTreeNode?>();
        var openAnchors = new Stack<AnchorName>();
        var expanded = 0;
        YamlTreeNode? root = null;
        while (root is null)
        {
            var current = parser.Current ?? throw new YamlException("unexpected end of the file");
            YamlTreeNode? completed = null;
            switch (current)
            {
                case Scalar scalar:
                    completed = new YamlTreeNode(YamlNodeKind.Scalar, scalar.Start) { End = scalar.End, Value = scalar.Value };
                    Register(anchors, scalar.Anchor, completed);
                    break;
                case MappingStart mapping:
                    Open(open, pendingKeys, new YamlTreeNode(YamlNodeKind.Mapping, mapping.Start));
                    openAnchors.Push(mapping.Anchor);
                    break;
                case SequenceStart sequence:
                    Open(open, pendingKeys, new YamlTreeNode(YamlNodeKind.Sequence, sequence.Start));
                    openAnchors.Push(sequence.Anchor);
                    break;
                case MappingEnd or SequenceEnd:
                    completed = open.Pop();
                    pendingKeys.Pop();
                    completed.End = current.End;

                    // Registered when complete, so an alias inside its own anchor finds nothing: no cycles.
                    Register(anchors, openAnchors.Pop(), completed);
                    break;
                case AnchorAlias alias:
                    if (!anchors.TryGetValue(alias.Value.Value, out completed))
                    {
                        throw new YamlTreeException("MC1001", $"alias '*{alias.Value.Value}' names no anchor defined before it", alias.Start, alias.End);
                    }

                    expanded += completed.Size;
                    if (expanded > MaxAliasExpansion)
                    {
                        throw new YamlTreeException("MC1007", $"aliases would expand the document past {MaxAliasExpansion} values", alias.Start, alias.End);
                    }

                    break;
            }

            parser.MoveNext();
            if (completed is null)
            {
                continue;
            }

            if (open.Count == 0)
            {
                root = completed;
                continue;
            }

            var parent = open.Peek();
            parent.Size += completed.Size;
            if (parent.Kind == YamlNodeKind.Sequence)
            {
                parent.Items.Add(completed);
            }
            else if (pendingKeys.Peek() is { } key)
            {
                parent.Pairs.Add(new KeyValuePair<YamlTreeNode, YamlTreeNode>(key, completed));
                pendingKeys.Pop();
                pendingKeys.Push(null);
            }
            else
            {
                pendingKeys.Pop();
                pendingKeys.Push(completed);
            }
        }

        return root;
    }

    private static void Open(Stack<YamlTreeNode> open, Stack<YamlTreeNode?> pendingKeys, YamlTreeNode node)
    {
        if (open.Count >= MaxDepth)
        {
            throw new YamlTreeException("MC1008", $"the document nests deeper than {MaxDepth} levels", node.Start, node.Start);
        }

        open.Push(node);
        pendingKeys.Push(null);
    }

    private static void Register(Dictionary<string, YamlTreeNode> anchors, AnchorName anchor, YamlTreeNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }
}
