using System.CommandLine;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Postgres;

namespace MemoryContracts.Tool.Commands;

/// <summary><c>store</c> verbs for the PostgreSQL engine: migrate, verify, reconcile, and its connection options.</summary>
internal static partial class StoreCommand
{
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
}
