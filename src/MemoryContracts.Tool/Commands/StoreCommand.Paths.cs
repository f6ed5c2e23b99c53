using System.CommandLine;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Paths;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>store path</c> verbs: list, branch, merge and abandon conversational paths.</summary>
internal static partial class StoreCommand
{
    private static Command PathList(CommandContext context, Option<string> graph)
    {
        var command = new Command("paths", "List a graph's conversational paths: id, parent, status, marker or reason; the active one starred.") { Workspace, Postgres, Owner, graph };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            var book = workspace.Paths.Read(parse.GetValue(graph)!);
            foreach (var path in book.All)
            {
                var note = path.MergeEvent ?? path.AbandonReason ?? string.Empty;
                context.Output.WriteLine(Safe($"{(path.Id == book.Active ? "*" : " ")} {path.Id}\t{path.Parent ?? "-"}\t{path.Status.ToString().ToLowerInvariant()}\t{path.Events.Count} events\t{note}{(path.CompactedInto is null ? string.Empty : "\tcompacted into " + path.CompactedInto)}"));
            }
        }, readOnly: true));
        return command;
    }

    private static Command Branch(CommandContext context, Option<string> graph)
    {
        var path = new Option<string>("--path") { Description = "The new path.", Required = true };
        var from = new Option<string?>("--from") { Description = "The path to branch from (the active path by default)." };
        var command = new Command("branch", "Open a new conversational path and make it active.") { Workspace, Postgres, Owner, graph, path, from, Actor };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            var record = workspace.Paths.Branch(parse.GetValue(graph)!, parse.GetValue(path)!, parse.GetValue(Actor)!, parse.GetValue(from));
            context.Output.WriteLine($"branched {parse.GetValue(path)} ({record.Event!.Id})");
        }));
        return command;
    }

    private static Command Merge(CommandContext context, Option<string> graph)
    {
        var path = new Option<string>("--path") { Description = "The path to merge into its parent.", Required = true };
        var decide = new Option<string[]>("--decide") { Description = "A decision on a conflict: <id>=branch or <id>=parent. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("merge", "Merge a path into its parent; conflicts wait for a decision (MC5012).") { Workspace, Postgres, Owner, graph, path, decide, Actor };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            var decisions = new Dictionary<string, MergeChoice>(StringComparer.Ordinal);
            foreach (var item in parse.GetValue(decide) ?? [])
            {
                var split = item.Split('=', 2);
                decisions[split[0]] = split.Length == 2 && Enum.TryParse<MergeChoice>(split[1], ignoreCase: true, out var choice)
                    ? choice
                    : throw new MemoryStoreException(DiagnosticCatalog.InvalidPathOperation.Create(SourceLocation.Origin("--decide"), $"'{item}' is not <id>=branch or <id>=parent"));
            }

            var result = workspace.Paths.Merge(parse.GetValue(graph)!, parse.GetValue(path)!, parse.GetValue(Actor)!, decisions);
            if (!result.Merged)
            {
                throw new MemoryStoreException(result.Diagnostic!);
            }

            context.Output.WriteLine($"merged {parse.GetValue(path)} ({result.Record!.Event!.Id}, {result.Conflicts.Count} conflict(s) decided)");
        }));
        return command;
    }

    private static Command Abandon(CommandContext context, Option<string> graph)
    {
        var path = new Option<string>("--path") { Description = "The path to abandon.", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why.", Required = true };
        var command = new Command("abandon", "Abandon a path with a reason; its changes never reach the parent.") { Workspace, Postgres, Owner, graph, path, reason, Actor };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            workspace.Paths.Abandon(parse.GetValue(graph)!, parse.GetValue(path)!, parse.GetValue(reason)!, parse.GetValue(Actor)!);
            context.Output.WriteLine($"abandoned {parse.GetValue(path)}: {parse.GetValue(reason)}");
        }));
        return command;
    }
}
