using System.CommandLine;
using System.Globalization;
using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Packing;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Retrieval;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>store</c> verbs over a workspace's graphs: init, import, list, nodes, edges, events, append, replay, export, retrieve.</summary>
internal static partial class StoreCommand
{
    private static Command Init(CommandContext context)
    {
        // A PostgreSQL store is made with 'store migrate', so init takes a folder only.
        var folder = new Option<DirectoryInfo>("--workspace", "-w") { Description = "The folder to make a workspace (created if missing).", HelpName = "folder", Required = true };
        var command = new Command("init", "Make a folder a memory workspace (layout 1); a PostgreSQL store is set up with 'store migrate'.") { folder };
        command.SetAction(parse => Run(context, () =>
        {
            using var workspace = MemoryWorkspace.Create(parse.GetValue(folder)!.FullName);
            context.Output.WriteLine($"workspace {workspace.Location} (layout {Runtime.Storage.Files.WorkspaceLayout.Version})");
        }));
        return command;
    }

    private static Command Import(CommandContext context)
    {
        var files = new Argument<string[]>("fixtures") { Description = "Graph and profile fixtures; each is validated first, and refused with its diagnostics if invalid.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("import", "Import validated graph and profile fixtures.") { Workspace, Postgres, Owner, Actor, files };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            foreach (var file in parse.GetValue(files)!)
            {
                context.Output.WriteLine($"imported {workspace.Import(file, parse.GetValue(Actor)!)} from {file}");
            }
        }));
        return command;
    }

    private static Command Lists(CommandContext context)
    {
        var command = new Command("graphs", "List the graphs and profiles.") { Workspace, Postgres, Owner };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            foreach (var id in workspace.Graphs)
            {
                context.Output.WriteLine(Safe($"graph\t{id}\t{workspace.Nodes(id).Count} nodes\t{workspace.Edges(id).Count} edges\t{workspace.Log.LastSequence(id)} records"));
            }

            foreach (var id in workspace.Profiles)
            {
                context.Output.WriteLine(Safe($"profile\t{id}"));
            }
        }, readOnly: true));
        return command;
    }

    private static Command Nodes(CommandContext context, Option<string> graph)
    {
        var kind = new Option<string?>("--kind") { Description = "Only nodes of this kind." };
        var command = new Command("nodes", "List a graph's nodes: id, kind, lifecycle state, title.") { Workspace, Postgres, Owner, graph, kind };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            foreach (var node in workspace.Nodes(parse.GetValue(graph)!, parse.GetValue(kind)))
            {
                context.Output.WriteLine(Safe($"{node.Id}\t{node.Kind}\t{node.Lifecycle?.State ?? "-"}\t{node.Title}"));
            }
        }, readOnly: true));
        return command;
    }

    private static Command Edges(CommandContext context, Option<string> graph)
    {
        var source = new Option<string?>("--source") { Description = "Only edges that leave this node." };
        var target = new Option<string?>("--target") { Description = "Only edges that arrive at this node." };
        var command = new Command("edges", "List a graph's edges: id, kind, source, target.") { Workspace, Postgres, Owner, graph, source, target };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            foreach (var edge in workspace.Edges(parse.GetValue(graph)!, parse.GetValue(source), parse.GetValue(target)))
            {
                context.Output.WriteLine(Safe($"{edge.Id}\t{edge.Kind}\t{edge.Source}\t{edge.Target}"));
            }
        }, readOnly: true));
        return command;
    }

    private static Command Events(CommandContext context, Option<string> graph)
    {
        var kind = new Option<string?>("--kind") { Description = "Only events of this kind." };
        var command = new Command("events", "List a graph's logged events in log order: id, kind, time, path, summary.") { Workspace, Postgres, Owner, graph, kind };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            foreach (var graphEvent in workspace.Events(parse.GetValue(graph)!, parse.GetValue(kind)))
            {
                context.Output.WriteLine(Safe($"{graphEvent.Id}\t{graphEvent.Kind}\t{graphEvent.At}\t{graphEvent.Path ?? MemoryPaths.Main}\t{graphEvent.Summary}"));
            }
        }, readOnly: true));
        return command;
    }

    private static Command Append(CommandContext context, Option<string> graph)
    {
        var record = new Option<FileInfo>("--record") { Description = "A JSON file: {\"event\": {...}, \"changes\": {\"put_nodes\": [...], ...}}.", Required = true };
        var command = new Command("append", "Append one event and its changes; returns once it is on disk. The event's actor is --actor unless the record names one.") { Workspace, Postgres, Owner, graph, record, Actor };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            var request = AppendRequest.Read(parse.GetValue(record)!.FullName);
            var graphEvent = request.Event.Actor is null ? request.Event with { Actor = parse.GetValue(Actor) } : request.Event;
            var stored = workspace.Append(parse.GetValue(graph)!, graphEvent, request.Changes);
            context.Output.WriteLine($"appended {stored.Event!.Id} at {stored.Sequence}");
        }));
        return command;
    }

    private static Command Replay(CommandContext context, Option<string> graph)
    {
        var untilEvent = new Option<string?>("--until-event") { Description = "Stop after the record of this event." };
        var untilTime = new Option<string?>("--until-time") { Description = "Replay the records at or before this RFC 3339 time." };
        var path = new Option<string>("--path") { Description = "Replay this conversational path.", DefaultValueFactory = _ => MemoryPaths.Main };
        var command = new Command("replay", "Rebuild a graph (or a path) from its log, up to a cutoff, and print it as a graph envelope.") { Workspace, Postgres, Owner, graph, untilEvent, untilTime, path };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            var cutoff = parse.GetValue(untilEvent) is { } eventId ? ReplayCutoff.AfterEvent(eventId)
                : parse.GetValue(untilTime) is { } time ? ReplayCutoff.At(DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind))
                : null;
            Write(context, workspace.Export(workspace.Replay(parse.GetValue(graph)!, cutoff, parse.GetValue(path)!)), null);
        }, readOnly: true));
        return command;
    }

    private static Command Export(CommandContext context, Option<string> graph)
    {
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the envelope to this file instead of standard output." };
        var command = new Command("export", "Export a graph as a markitect.memory.graph.v1 envelope (deterministic; import and export again give the same bytes).") { Workspace, Postgres, Owner, graph, output };
        command.SetAction(parse => Open(context, parse, workspace => Write(context, workspace.Export(parse.GetValue(graph)!), parse.GetValue(output)), readOnly: true));
        return command;
    }

    private static Command Retrieve(CommandContext context, Option<string> graph)
    {
        var node = new Option<string?>("--node") { Description = "Retrieve the neighborhood of this node." };
        var depth = new Option<int>("--depth") { Description = "Neighborhood depth.", DefaultValueFactory = _ => 1 };
        var decisionPath = new Option<string?>("--decision-path") { Description = "Retrieve the chain that led to this node." };
        var episode = new Option<string?>("--episode") { Description = "Retrieve what this conversational path touched." };
        var clearances = new Option<string[]>("--clearance") { Description = "A policy label the actor may see. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var zone = new Option<string?>("--trust-zone") { Description = "The widest trust zone the actor may receive." };
        var package = new Option<FileInfo?>("--package") { Description = "Also compile the allowed part into this context package file." };
        var command = new Command("retrieve", "Retrieve memory through the label policy: allowed items with text, denied ones by id and reason only.") { Workspace, Postgres, Owner, graph, node, depth, decisionPath, episode, clearances, zone, package, Actor };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            var graphId = parse.GetValue(graph)!;
            RetrievalQuery query = parse.GetValue(node) is { } start ? new RetrievalQuery.Neighborhood(graphId, start, parse.GetValue(depth))
                : parse.GetValue(decisionPath) is { } end ? new RetrievalQuery.DecisionPath(graphId, end)
                : parse.GetValue(episode) is { } path ? new RetrievalQuery.Episode(graphId, path)
                : throw new MemoryStoreException(DiagnosticCatalog.UnknownStoreItem.Create(SourceLocation.File(workspace.Location), "query", "(none)", ": give --node, --decision-path or --episode"));
            var subject = new RetrievalSubject(parse.GetValue(Actor)!, parse.GetValue(clearances) ?? [], parse.GetValue(zone));
            var result = workspace.Retrieval.Retrieve(query, subject);
            foreach (var item in result.Items)
            {
                context.Output.WriteLine(Safe($"allow\t{item.Node.Id}\t{item.Node.Kind}\t{item.Node.Title}"));
            }

            foreach (var item in result.Denied)
            {
                context.Output.WriteLine(Safe($"deny\t{item.Id}\t{item.Reason}"));
            }

            if (parse.GetValue(package) is { } file)
            {
                var (packageGraph, selection) = result.ToSelection(Path.GetFileNameWithoutExtension(file.Name));
                var compiled = SelectionCompiler.Compile(selection, packageGraph, null, selection.Id + ".selection");
                MemoryContracts.IO.AtomicFile.WriteAllBytes(file.FullName, Encoding.UTF8.GetBytes(ContextPackageWriter.Write(compiled.Package, PackageFormat.Json)));
            }
        }));
        return command;
    }
}
