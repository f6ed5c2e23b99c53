using System.CommandLine;
using System.Globalization;
using System.Text;
using MemoryContracts.Diagnostics;
using MemoryContracts.Packing;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Lifecycle;
using MemoryContracts.Runtime.Paths;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Runtime.Retrieval;
using MemoryContracts.Runtime.Review;
using MemoryContracts.Text;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>store</c>: a durable local memory workspace (docs/runtime.md).</summary>
internal static class StoreCommand
{
    private static readonly Option<DirectoryInfo?> Workspace = new("--workspace", "-w") { Description = "The workspace folder (or use --postgres).", HelpName = "folder" };
    private static readonly Option<string?> Postgres = new("--postgres") { Description = "A PostgreSQL connection string: use the PostgreSQL engine instead of a folder (integrity keys from MEMORYCONTRACTS_HMAC_KEYS).", HelpName = "connection-string" };
    private static readonly Option<string> Owner = new("--owner") { Description = "With --postgres: whose rows to read and write.", DefaultValueFactory = _ => Environment.UserName };
    private static readonly Option<string> Actor = new("--actor") { Description = "Who acts (recorded in the log and the audit log).", DefaultValueFactory = _ => Environment.UserName };

    public static Command Create(CommandContext context)
    {
        var graph = new Option<string>("--graph", "-g") { Description = "The graph id.", Required = true };
        return new Command("store", "A durable local memory workspace: import, log events, replay, paths, review-gated lifecycle, retrieval, repair.")
        {
            Init(context),
            Import(context),
            Lists(context),
            Nodes(context, graph),
            Edges(context, graph),
            Events(context, graph),
            Append(context, graph),
            Replay(context, graph),
            Export(context, graph),
            PathList(context, graph),
            Branch(context, graph),
            Merge(context, graph),
            Abandon(context, graph),
            Plan(context, graph),
            Approve(context),
            KeyGen(context),
            Apply(context),
            Retrieve(context, graph),
            Repair(context),
            AuditTrail(context),
            Migrate(context),
            Verify(context),
            Reconcile(context),
        };
    }

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

    private static Command Plan(CommandContext context, Option<string> graph)
    {
        var profile = new Option<string>("--profile") { Description = "The profile whose rules and reviewers govern the plan.", Required = true };
        var refresh = new Option<string[]>("--refresh") { Description = "Nodes to refresh. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var forget = new Option<string[]>("--forget") { Description = "Nodes to forget. Repeatable.", AllowMultipleArgumentsPerToken = true };
        var lineage = new Choice<LineagePolicy>("--lineage", "What happens to nodes derived from forgotten ones: review flags them, forget forgets them too.", LineagePolicy.Review);
        var reason = new Option<string?>("--reason") { Description = "Why (kept with forget tombstones)." };
        var noRetention = new Option<bool>("--no-retention") { Description = "Leave the profile's retention rules out." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the plan (JSON) to this file, for 'apply'." };
        var command = new Command("plan", "Plan lifecycle actions as a dry run, with explanations; the workspace records the plan (so it can be applied as issued) and changes nothing else.") { Workspace, Postgres, Owner, graph, profile, refresh, forget, lineage.Option, reason, noRetention, output, Actor };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            var plan = workspace.Lifecycle.Plan(parse.GetValue(graph)!, parse.GetValue(profile)!, new LifecycleRequest
            {
                Retention = !parse.GetValue(noRetention),
                Refresh = parse.GetValue(refresh) ?? [],
                Forget = parse.GetValue(forget) ?? [],
                Lineage = lineage.Read(parse),
                Reason = parse.GetValue(reason),
                RequestedBy = parse.GetValue(Actor)!,
            });
            foreach (var action in plan.Actions)
            {
                context.Output.WriteLine(Safe($"{action.Action}\t{action.Node}\t{(action.ReviewRequired ? "review required" : "no review")}\t{action.Reason}\t{action.Source}\t{action.Policy}"));
            }

            context.Output.WriteLine($"plan {plan.Id}: {plan.Actions.Count} action(s){(plan.RequiresReview ? ", needs an approval" : string.Empty)}");
            if (parse.GetValue(output) is { } file)
            {
                MemoryContracts.IO.AtomicFile.WriteAllBytes(file.FullName, LifecyclePlanJson.Write(plan));
            }
        }));
        return command;
    }

    private static Command Approve(CommandContext context)
    {
        var plan = new Option<FileInfo>("--plan") { Description = "The plan file written by 'plan --output'.", Required = true };
        var reviewer = new Option<string>("--reviewer") { Description = "Who approves: a reviewer the profile names, with a declared key.", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "The reviewer's private key (PKCS#8 PEM, from 'keygen').", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why they approve.", Required = true };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the approval to this file instead of standard output." };
        var command = new Command("approve", "Sign an approval of a plan with a reviewer's key; 'apply --approval' verifies it against the stored profile.") { plan, reviewer, key, reason, output };
        command.SetAction(parse => Run(context, () =>
        {
            var planFile = parse.GetValue(plan)!.FullName;
            var read = LifecyclePlanJson.Read(planFile);
            if (LifecyclePlanJson.IdOf(read) != read.Id)
            {
                throw new MemoryStoreException(DiagnosticCatalog.PlanNotApplicable.Create(SourceLocation.File(planFile), read.Id, "its content does not match its id: it was changed after it was made"));
            }

            var keyFile = parse.GetValue(key)!.FullName;
            var approval = ApprovalSigner.PublicKeyOf(File.ReadAllText(keyFile)) is null
                ? throw new MemoryStoreException(DiagnosticCatalog.ApprovalInvalid.Create(SourceLocation.File(keyFile), read.Id, parse.GetValue(reviewer)!, "the key file is not an ECDSA P-256 private key in PKCS#8 PEM form"))
                : ApprovalSigner.Sign(read.Id, parse.GetValue(reviewer)!, DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), parse.GetValue(reason)!, File.ReadAllText(keyFile));
            Write(context, ApprovalJson.Write(approval), parse.GetValue(output));
        }));
        return command;
    }

    private static Command KeyGen(CommandContext context)
    {
        var reviewer = new Option<string>("--reviewer") { Description = "Whose key it is (the name the profile lists in review.reviewers).", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where to write the private key (PKCS#8 PEM, readable by its owner only). Keep it secret.", Required = true };
        var command = new Command("keygen", "Make an ECDSA P-256 key pair for a reviewer: writes the private key, prints the public key to declare in the profile.") { reviewer, output };
        command.SetAction(parse => Run(context, () =>
        {
            var file = parse.GetValue(output)!.FullName;
            var (privateKey, publicKey) = ApprovalSigner.CreateKey();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(file, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(privateKey));
                stream.Flush(flushToDisk: true);
            }

            context.Output.WriteLine("# add to the profile's review section:");
            context.Output.WriteLine("reviewer_keys:");
            context.Output.WriteLine($"  {parse.GetValue(reviewer)}: {publicKey}");
        }));
        return command;
    }

    private static Command Apply(CommandContext context)
    {
        var plan = new Option<FileInfo>("--plan") { Description = "The plan file written by 'plan --output'; only a plan the workspace issued, unchanged, applies.", Required = true };
        var approval = new Option<FileInfo?>("--approval") { Description = "A signed approval from 'approve', for plans with review-required actions." };
        var command = new Command("apply", "Apply a plan behind the review gate (MC5009-MC5011, MC5023-MC5025); every decision is audited.") { Workspace, Postgres, Owner, plan, approval, Actor };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            var read = LifecyclePlanJson.Read(parse.GetValue(plan)!.FullName);
            var signed = parse.GetValue(approval) is { } file ? ApprovalJson.Read(file.FullName) : null;
            var applied = workspace.Lifecycle.Apply(read, signed, parse.GetValue(Actor)!);
            context.Output.WriteLine($"applied {applied.PlanId} as {applied.Record.Event!.Id} (operation {applied.Operation})");
        }));
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

    private static Command Repair(CommandContext context)
    {
        var command = new Command("repair", "Check the workspace without changing it: every problem with its code and log position (MC5xxx).") { Workspace, Postgres, Owner };
        command.SetAction(parse =>
        {
            var result = ExitCodes.Success;
            var code = Open(context, parse, workspace =>
            {
                var problems = workspace.Repair();
                foreach (var problem in problems)
                {
                    context.Output.WriteLine(CommandContext.RelativeToCurrentFolder(problem).ToString());
                }

                context.Output.WriteLine($"{problems.Count(problem => problem.IsError)} error(s), {problems.Count(problem => !problem.IsError)} warning(s)");
                result = problems.Any(problem => problem.IsError) ? ExitCodes.ContractErrors : ExitCodes.Success;
            }, readOnly: true);
            return code == ExitCodes.Success ? result : code;
        });
        return command;
    }

    private static Command AuditTrail(CommandContext context)
    {
        var command = new Command("audit", "Print the audit log: operation, time, actor, action, decision, affected ids, reason.") { Workspace, Postgres, Owner };
        command.SetAction(parse => Open(context, parse, workspace =>
        {
            foreach (var record in workspace.AuditTrail())
            {
                context.Output.WriteLine(Safe($"{record.Operation}\t{record.At}\t{record.Actor}\t{record.Action}\t{record.Decision.ToString().ToLowerInvariant()}\t{string.Join(",", record.Affected)}\t{record.Reason}{(record.Approval is { } approval ? $"\tapproved by {approval.By} at {approval.At}: {approval.Reason}" : string.Empty)}"));
            }
        }, readOnly: true));
        return command;
    }

    /// <summary>A listing line with control and bidi characters escaped, so a crafted id cannot forge or reverse output lines.</summary>
    private static string Safe(string line) => string.Join('\t', line.Split('\t').Select(DisplayText.Escape));

    private static void Write(CommandContext context, byte[] content, FileInfo? file)
    {
        if (file is null)
        {
            context.Output.Write(Encoding.UTF8.GetString(content));
        }
        else
        {
            MemoryContracts.IO.AtomicFile.WriteAllBytes(file.FullName, content);
        }
    }

    /// <summary>
    /// Opens the workspace the options name and runs the command on it; <paramref name="readOnly"/> commands open a
    /// folder without creating, moving or writing any file, so they work on a full disk and change nothing.
    /// </summary>
    private static int Open(CommandContext context, ParseResult parse, Action<MemoryWorkspace> work, bool readOnly = false) => Run(context, () =>
    {
        using var workspace = parse.GetValue(Postgres) is { } connection
            ? PostgresWorkspace.Open(PostgresOptions(connection, parse.GetValue(Owner)!))
            : MemoryWorkspace.Open(RequireFolder(parse).FullName, new WorkspaceOptions { ReadOnly = readOnly });
        foreach (var recovered in workspace.Recovered)
        {
            context.Error.WriteLine(CommandContext.RelativeToCurrentFolder(recovered).ToString());
        }

        work(workspace);
    });

    private static DirectoryInfo RequireFolder(ParseResult parse) =>
        parse.GetValue(Workspace) ?? throw new MemoryStoreException(DiagnosticCatalog.WorkspaceLayout.Create(SourceLocation.Origin("dotnet-memory"), "give the workspace: --workspace <folder>, or --postgres <connection-string>"));

    /// <summary>The options of a PostgreSQL store for an owner, with the integrity keys from the environment (never the command line).</summary>
    internal static PostgresStoreOptions PostgresOptions(string connection, string owner) =>
        new(connection, owner, IntegrityKeys.RequireFromEnvironment());

    private static string RequirePostgres(ParseResult parse, string verb) =>
        parse.GetValue(Postgres) ?? throw new MemoryStoreException(DiagnosticCatalog.WorkspaceLayout.Create(SourceLocation.Origin("dotnet-memory"), $"{verb} needs --postgres <connection-string>"));

    private static Command Migrate(CommandContext context)
    {
        var grantTo = new Option<string?>("--grant-to") { Description = "The application's role: it gets the row operations it needs and cannot change tables or policies. Run migrate as the schema owner.", HelpName = "role" };
        var command = new Command("migrate", "Apply the PostgreSQL migrations the database lacks (idempotent; safe from two processes at once), as the schema owner.") { Postgres, grantTo };
        command.SetAction(parse => Run(context, () =>
        {
            var connection = RequirePostgres(parse, "migrate");
            var applied = PostgresMigrations.Migrate(connection, parse.GetValue(grantTo));
            context.Output.WriteLine(applied.Count == 0 ? "the database is up to date" : $"applied migration(s) {string.Join(", ", applied)}");
        }));
        return command;
    }

    private static Command Verify(CommandContext context)
    {
        var graph = new Option<string?>("--graph", "-g") { Description = "The graph whose ledger to check." };
        var expectHead = new Option<string?>("--expect-head") { Description = "A checkpoint printed by an earlier verify (sequence:mac:version:signature): a ledger rewound to before it is reported.", HelpName = "checkpoint" };
        var witness = new Option<FileInfo?>("--witness") { Description = "A file kept outside the database that remembers each graph's last checkpoint: checked, then moved on when the ledger verifies.", HelpName = "file" };
        var audit = new Option<bool>("--audit") { Description = "Check the owner's audit chain too." };
        var command = new Command("verify", "Check the HMAC chain of a graph's rows on PostgreSQL (every edited, deleted, reordered or rewound row, MC5016) and print a checkpoint to keep.") { Postgres, Owner, graph, expectHead, witness, audit };
        command.SetAction(parse =>
        {
            var result = ExitCodes.Success;
            var code = Run(context, () =>
            {
                using var store = new PostgresMemoryStore(PostgresOptions(RequirePostgres(parse, "verify"), parse.GetValue(Owner)!));
                var broken = new List<ContractDiagnostic>();
                if (parse.GetValue(audit))
                {
                    broken.AddRange(store.VerifyAudit());
                }

                if (parse.GetValue(graph) is { } graphId)
                {
                    var witnessFile = parse.GetValue(witness);
                    var witnesses = witnessFile is { Exists: true } ? LedgerWitness.Read(witnessFile.FullName) : new Dictionary<string, string>(StringComparer.Ordinal);
                    var expected = parse.GetValue(expectHead) ?? witnesses.GetValueOrDefault(graphId);
                    var checkpoint = expected is null ? null : LedgerCheckpoint.Parse(graphId, expected)
                        ?? throw new UsageException($"'{expected}' is not a checkpoint (sequence:mac:version:signature, as verify prints it)");
                    broken.AddRange(store.Verify(graphId, checkpoint));
                    if (broken.Count == 0)
                    {
                        var head = store.Checkpoint(graphId);
                        context.Output.WriteLine($"checkpoint {graphId} {head}");
                        if (witnessFile is not null)
                        {
                            witnesses[graphId] = head.ToString();
                            LedgerWitness.Write(witnessFile.FullName, witnesses);
                        }
                    }
                }
                else if (!parse.GetValue(audit))
                {
                    throw new UsageException("verify needs --graph <id>, --audit, or both");
                }

                foreach (var diagnostic in broken)
                {
                    context.Output.WriteLine(CommandContext.RelativeToCurrentFolder(diagnostic).ToString());
                }

                context.Output.WriteLine($"{broken.Count} broken row(s)");
                result = broken.Count == 0 ? ExitCodes.Success : ExitCodes.ContractErrors;
            });
            return code == ExitCodes.Success ? result : code;
        });
        return command;
    }

    private static Command Reconcile(CommandContext context)
    {
        var olderThan = new Option<int>("--older-than") { Description = "Minutes after which a pending write counts as stuck.", DefaultValueFactory = _ => 10 };
        var command = new Command("reconcile", "List writes of the saga that are stuck: pending for too long, or failed (MC5018).") { Postgres, Owner, olderThan };
        command.SetAction(parse => Run(context, () =>
        {
            using var store = new PostgresMemoryStore(PostgresOptions(RequirePostgres(parse, "reconcile"), parse.GetValue(Owner)!));
            var stuck = store.Reconcile(TimeSpan.FromMinutes(parse.GetValue(olderThan)));
            foreach (var diagnostic in stuck)
            {
                context.Output.WriteLine(CommandContext.RelativeToCurrentFolder(diagnostic).ToString());
            }

            context.Output.WriteLine($"{stuck.Count} stuck write(s)");
        }));
        return command;
    }

    private static int Run(CommandContext context, Action work) => context.Guard(work);
}
