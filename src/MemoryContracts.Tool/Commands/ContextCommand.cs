using System.CommandLine;
using MemoryContracts.Model;
using MemoryContracts.Output;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Context;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Tool.Reporting;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>context</c>: context packages as working memory (docs/context-packages.md).</summary>
internal static class ContextCommand
{
    private static readonly Option<DirectoryInfo> Registry = new("--registry") { Description = "The registry folder.", DefaultValueFactory = _ => new DirectoryInfo(ContextRegistry.DefaultFolder), HelpName = "folder" };
    private static readonly Option<string?> Namespace = new("--namespace", "-n") { Description = "kind:id, such as project:memorycontracts or thread:42 (default: the file's own namespace, else project:default).", HelpName = "kind:id" };
    private static readonly Option<string> Actor = new("--actor") { Description = "Who acts (recorded in the lifecycle log).", DefaultValueFactory = _ => Environment.UserName };
    private static readonly Choice<OutputFormat> Format = new("--format", "text for people, json for agents.", OutputFormat.Text, ["-f"], OutputFormat.Text, OutputFormat.Json);
    private static readonly Option<DirectoryInfo?> Root = CommandOptions.Root();
    private static readonly Argument<string> PackageId = new("package-id") { Description = "The package's stable id." };

    private enum OutputFormat
    {
        Text,
        Json,
        Mermaid,
    }

    public static Command Create(CommandContext context) => new("context", "Context packages as working memory: pack, activate, deactivate, refresh, explain, list.")
    {
        Pack(context),
        Lifecycle(context, "activate", "Activate a package: re-check the policy, apply the budget, and print the activation envelope."),
        Lifecycle(context, "deactivate", "Record that a package is no longer active."),
        Lifecycle(context, "refresh", "Rebuild a package from its recipe and report what changed."),
        Explain(context),
        List(context),
    };

    private static Command Pack(CommandContext context)
    {
        var file = new Argument<string?>("manifest-or-selection") { Description = "A markitect.context.manifest.v1 or markitect.memory.selection.v1 file; or leave it out and give --graph with a query.", Arity = ArgumentArity.ZeroOrOne };
        var graph = new Option<string?>("--graph") { Description = "Query this graph file instead of packing a manifest or selection." };
        var id = new Option<string?>("--id") { Description = "With --graph: the package id." };
        var kinds = new Option<string[]>("--kind") { Description = "With --graph: only nodes of this kind. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var ids = new Option<string[]>("--match-id") { Description = "With --graph: only nodes whose id matches this pattern ('*' is any run). Repeatable.", AllowMultipleArgumentsPerToken = true };
        var labels = new Option<string[]>("--label") { Description = "With --graph: only nodes carrying this policy label. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var text = new Option<string?>("--text") { Description = "With --graph: only nodes whose title or text contains every word." };
        var maxItems = new Option<int?>("--max-items") { Description = "With --graph: at most this many items." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "With --graph: at most this many estimated tokens." };
        var policy = new Option<string?>("--policy") { Description = "A markitect.context.policy.v1 file (a manifest may name its own)." };
        var command = new Command("pack", "Create a context package from a manifest, a selection, or a query over a graph, and store it in the registry.")
        {
            file, graph, id, kinds, ids, labels, text, maxItems, maxTokens, policy, Namespace, Registry, Root, Actor, Format.Option,
        };
        command.SetAction(parse => Run(context, () =>
        {
            var @namespace = ParseNamespace(parse.GetValue(Namespace));
            var policyPath = parse.GetValue(policy) is { } given ? Path.GetFullPath(given) : null;
            ContextRecipe recipe;
            if (parse.GetValue(graph) is { } graphPath)
            {
                var packageId = parse.GetValue(id) ?? throw Usage("a query package needs --id <package-id>");
                var query = new NodeQuery { Kinds = parse.GetValue(kinds) ?? [], Ids = parse.GetValue(ids) ?? [], Labels = parse.GetValue(labels) ?? [], Text = parse.GetValue(text) };
                var budget = parse.GetValue(maxItems) is null && parse.GetValue(maxTokens) is null ? null : new ActivationLimits(parse.GetValue(maxItems), parse.GetValue(maxTokens));
                recipe = new ContextRecipe("query", Path.GetFullPath(graphPath), packageId) { Query = query, Namespace = @namespace ?? ContextRegistry.DefaultNamespace, Policy = policyPath, Budget = budget };
            }
            else
            {
                recipe = ContextRegistry.RecipeFor(parse.GetValue(file) ?? throw Usage("give a manifest or selection file, or --graph with a query"), @namespace, policyPath, RootOf(parse));
            }

            var entry = OpenRegistry(parse).Pack(recipe, parse.GetValue(Actor)!);
            context.Output.Write(Format.Read(parse) == OutputFormat.Json ? ContextRegistry.ToJson(entry) : $"packed {entry.Namespace.Kind}:{entry.Namespace.Id}/{entry.Id}: {entry.Items} item(s), {entry.Tokens} tokens\n");
        }));
        return command;
    }

    private static Command Lifecycle(CommandContext context, string verb, string description)
    {
        var command = new Command(verb, description) { PackageId, Namespace, Registry, Root, Actor, Format.Option };
        command.SetAction(parse => Run(context, () =>
        {
            var registry = OpenRegistry(parse);
            var @namespace = ParseNamespace(parse.GetValue(Namespace)) ?? ContextRegistry.DefaultNamespace;
            var id = parse.GetValue(PackageId)!;
            var actor = parse.GetValue(Actor)!;
            var json = Format.Read(parse) == OutputFormat.Json;
            switch (verb)
            {
                case "activate":
                    var envelope = registry.Activate(@namespace, id, actor);
                    context.Output.Write(json ? ContextRegistry.ToJson(envelope) : Text(envelope));
                    break;
                case "deactivate":
                    registry.Deactivate(@namespace, id, actor);
                    context.Output.Write(json ? SnakeCaseJson.Write(new Deactivation(id, "inactive"), CliJson.Indented.Deactivation) : $"deactivated {@namespace.Kind}:{@namespace.Id}/{id}\n");
                    break;
                default:
                    var report = registry.Refresh(@namespace, id, actor);
                    context.Output.Write(json ? ContextRegistry.ToJson(report) : report.Unchanged
                        ? $"refreshed {id}: unchanged\n"
                        : $"refreshed {id}: {report.Added.Count} added ({string.Join(", ", report.Added)}), {report.Removed.Count} removed ({string.Join(", ", report.Removed)}), {report.Changed.Count} changed ({string.Join(", ", report.Changed)})\n");
                    break;
            }
        }));
        return command;
    }

    private static Command Explain(CommandContext context)
    {
        var format = new Choice<OutputFormat>("--format", "text for people, json for agents, mermaid for a picture of the package.", OutputFormat.Text, ["-f"]);
        var command = new Command("explain", "Show every included source with its span, token estimate, freshness and why it is there.") { PackageId, Namespace, Registry, Root, format.Option };
        command.SetAction(parse => Run(context, () =>
        {
            var registry = OpenRegistry(parse);
            var @namespace = ParseNamespace(parse.GetValue(Namespace)) ?? ContextRegistry.DefaultNamespace;
            var id = parse.GetValue(PackageId)!;
            switch (format.Read(parse))
            {
                case OutputFormat.Mermaid:
                    context.Output.Write(GraphRenderer.Render(registry.Load(@namespace, id), GraphPictureFormat.Mermaid));
                    break;
                case OutputFormat.Json:
                    context.Output.Write(ContextRegistry.ToJson(registry.Explain(@namespace, id)));
                    break;
                default:
                    var explanation = registry.Explain(@namespace, id);
                    context.Output.WriteLine($"{explanation.Namespace.Kind}:{explanation.Namespace.Id}/{explanation.Package} ({explanation.State})");
                    context.Output.WriteLine("id\tkind\tsource\ttokens\tfreshness\twhy");
                    foreach (var item in explanation.Items)
                    {
                        context.Output.WriteLine($"{item.Id}\t{item.Kind}\t{item.Source}\t{item.TokenEstimate}\t{item.Freshness}\t{item.Why}");
                    }

                    foreach (var item in explanation.Withheld.Concat(explanation.Dropped))
                    {
                        context.Output.WriteLine($"withheld\t{item.Id}\t{item.Reason}");
                    }

                    break;
            }
        }));
        return command;
    }

    private static Command List(CommandContext context)
    {
        var command = new Command("list", "List the registered packages: namespace, id, items, tokens, state, last action.") { Namespace, Registry, Root, Format.Option };
        command.SetAction(parse => Run(context, () =>
        {
            var entries = OpenRegistry(parse).List(ParseNamespace(parse.GetValue(Namespace)));
            if (Format.Read(parse) == OutputFormat.Json)
            {
                context.Output.Write(ContextRegistry.ToJson(entries));
                return;
            }

            context.Output.WriteLine("namespace\tid\titems\ttokens\tstate\tlast");
            foreach (var entry in entries)
            {
                context.Output.WriteLine($"{entry.Namespace.Kind}:{entry.Namespace.Id}\t{entry.Id}\t{entry.Items}\t{entry.Tokens}\t{entry.State}\t{entry.LastAction}");
            }
        }));
        return command;
    }

    private static string Text(ActivationEnvelope envelope)
    {
        var lines = new List<string> { $"activated {envelope.Namespace.Kind}:{envelope.Namespace.Id}/{envelope.Package}: {envelope.Items.Count} item(s), {envelope.TokenEstimate} tokens" };
        lines.AddRange(envelope.Summary.Select(layer => $"summary ({layer.Kind}): {layer.Text}"));
        lines.AddRange(envelope.Items.Select(item => $"item\t{item.Id}\t{item.Kind}\t{item.TokenEstimate}\t{item.Title}"));
        lines.AddRange(envelope.Withheld.Select(item => $"withheld\t{item.Id}\t{item.Reason}"));
        return string.Join("\n", lines) + "\n";
    }

    private static MemoryNamespace? ParseNamespace(string? text) =>
        text is null ? null
        : TryParseNamespace(text, out var parsed) ? parsed
        : throw Usage(NamespaceProblem(text));

    /// <summary>Reads <c>kind:id</c> with a kind of the schema's namespace vocabulary.</summary>
    internal static bool TryParseNamespace(string text, out MemoryNamespace parsed)
    {
        var split = text.Split(':', 2);
        var valid = split.Length == 2 && NamespaceKinds.TryParse(split[0], out _) && split[1].Length > 0;
        parsed = valid ? new MemoryNamespace(split[0], split[1]) : ContextRegistry.DefaultNamespace;
        return valid;
    }

    /// <summary>What is wrong with a namespace that is not <c>kind:id</c>.</summary>
    internal static string NamespaceProblem(string text) => $"'{text}' is not kind:id with a kind of {string.Join(", ", NamespaceKinds.WireNames)}";

    private static UsageException Usage(string message) => new(message);

    private static int Run(CommandContext context, Action work) => context.Guard(work);

    /// <summary>The registry the options name, reading fixtures only inside <c>--root</c> (the current folder by default).</summary>
    /// <remarks>With <c>MEMORYCONTRACTS_REGISTRY_KEY</c> set (base64, at least 16 bytes), packages are signed and served only when their MAC verifies.</remarks>
    private static ContextRegistry OpenRegistry(ParseResult parse) =>
        new(parse.GetValue(Registry)!.FullName, new ContextRegistryOptions { FixtureRoot = RootOf(parse), IntegrityKey = RegistryKey() });

    /// <summary>The registry's integrity key from MEMORYCONTRACTS_REGISTRY_KEY (base64, at least 16 bytes), or null.</summary>
    internal static byte[]? RegistryKey()
    {
        if (Environment.GetEnvironmentVariable("MEMORYCONTRACTS_REGISTRY_KEY") is not { Length: > 0 } text)
        {
            return null;
        }

        var key = new byte[text.Length];
        return Convert.TryFromBase64String(text, key, out var length) && length >= 16
            ? key[..length]
            : throw Usage("MEMORYCONTRACTS_REGISTRY_KEY must be base64 of at least 16 bytes");
    }

    private static string RootOf(ParseResult parse) => parse.GetValue(Root)?.FullName ?? Environment.CurrentDirectory;
}
