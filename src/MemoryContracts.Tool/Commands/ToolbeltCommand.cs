using System.CommandLine;
using System.Text.Json;
using MemoryContracts.Diagnostics;
using MemoryContracts.Runtime;
using MemoryContracts.Runtime.Json;
using MemoryContracts.Runtime.Postgres;
using MemoryContracts.Runtime.Toolbelt;
using MemoryContracts.Tool.Reporting;

namespace MemoryContracts.Tool.Commands;

/// <summary>
/// <c>fs</c> and <c>md</c>: the agent toolbelt as commands with JSON in (a request file, or <c>-</c> for standard
/// input) and JSON out, so an agent framework can call them as tools (docs/toolbelt.md).
/// </summary>
internal static class ToolbeltCommand
{
    private static readonly Option<DirectoryInfo> Root = new("--root") { Description = "The memory folder the toolbelt works in.", Required = true, HelpName = "folder" };
    private static readonly Option<DirectoryInfo?> Workspace = new("--workspace", "-w") { Description = "The workspace whose ledger records the events (or --postgres).", HelpName = "folder" };
    private static readonly Option<string?> Postgres = new("--postgres") { Description = "Record the events in PostgreSQL (integrity keys from MEMORYCONTRACTS_HMAC_KEYS).", HelpName = "connection-string" };
    private static readonly Option<string> Owner = new("--owner") { Description = "With --postgres: whose rows.", DefaultValueFactory = _ => Environment.UserName };
    private static readonly Option<string[]> Allow = new("--allow") { Description = "A folder under the root the toolbelt may touch (repeatable; the whole root when none).", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string?> Request = new("--request") { Description = "The JSON request: a file, or - for standard input (default).", HelpName = "file" };

    public static Command Fs(CommandContext context) => new("fs", "The file tools of the agent toolbelt: list, read, search, hash, write, patch, append (and delete, which is always refused).")
    {
        Operation(context, "list", "Files under a folder.", (toolbelt, request) => toolbelt.List(request)),
        Operation(context, "read", "A file's content and hash.", (toolbelt, request) => toolbelt.Read(request)),
        Operation(context, "search", "Lines that contain a pattern.", (toolbelt, request) => toolbelt.Search(request)),
        Operation(context, "hash", "A file's canonical hash.", (toolbelt, request) => toolbelt.Hash(request)),
        Operation(context, "write", "Create or replace a file (content, or a template for a new file).", (toolbelt, request) => toolbelt.Write(request)),
        Operation(context, "patch", "Replace one exact occurrence of a text.", (toolbelt, request) => toolbelt.Patch(request)),
        Operation(context, "append", "Add text at the end of a file.", (toolbelt, request) => toolbelt.Append(request)),
        Operation(context, "delete", "Always refused (MC5019): memory files are never deleted.", (toolbelt, request) => toolbelt.Delete(request)),
    };

    public static Command Md(CommandContext context)
    {
        var drift = new Command("drift", "Files whose content differs from their last committed event (MC5021), for a maintainer; nothing is changed.") { Root, Workspace, Postgres, Owner, Allow };
        drift.SetAction(parse => context.Guard(() =>
        {
            using var workspace = OpenLedger(parse);
            var found = new MemoryToolbelt(parse.GetValue(Root)!.FullName, workspace, Options(parse)).Drift();
            context.Output.Write(SnakeCaseJson.Write(found.Select(diagnostic => new DriftFinding(diagnostic.Code, diagnostic.Location.Path, diagnostic.Message)).ToArray(), CliJson.Indented.DriftFindingArray));
        }));
        return new Command("md", "The Markdown tools of the agent toolbelt: list_sections, patch_section, curate_list, snapshot_history, lint, replay, drift.")
        {
            Operation(context, "list_sections", "The anchored sections of a file.", (toolbelt, request) => toolbelt.ListSections(request)),
            Operation(context, "patch_section", "Replace the body of the section with an anchor.", (toolbelt, request) => toolbelt.PatchSection(request)),
            Operation(context, "curate_list", "Add items to (and take items out of) a section's list.", (toolbelt, request) => toolbelt.CurateList(request)),
            Operation(context, "snapshot_history", "The history copies of a file.", (toolbelt, request) => toolbelt.SnapshotHistory(request)),
            Operation(context, "lint", "The lint findings of a file.", (toolbelt, request) => toolbelt.Lint(request)),
            Replay(context),
            drift,
        };
    }

    /// <summary><c>md replay</c>: also callable as <c>md replay &lt;file&gt; --at &lt;event id or time&gt;</c>, without a request.</summary>
    private static Command Replay(CommandContext context)
    {
        var file = new Argument<string?>("file") { Description = "The file, relative to the memory root (instead of a JSON request).", Arity = ArgumentArity.ZeroOrOne };
        var at = new Option<string?>("--at") { Description = "An event id or an RFC 3339 time." };
        return Operation(context, "replay", "The file as it was at an event id or a time.", (toolbelt, request) => toolbelt.Replay(request), [file, at], parse =>
            parse.GetValue(file) is { } path ? new ToolRequest { Path = path, At = parse.GetValue(at) } : null);
    }

    private static Command Operation(CommandContext context, string name, string description, Func<MemoryToolbelt, ToolRequest, ToolResult> run, Symbol[]? extra = null, Func<ParseResult, ToolRequest?>? fromArguments = null)
    {
        var command = new Command(name, description + " JSON in (--request), JSON out.") { Root, Workspace, Postgres, Owner, Allow, Request };
        foreach (var symbol in extra ?? [])
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }

        command.SetAction(parse =>
        {
            try
            {
                var source = parse.GetValue(Request);
                var request = fromArguments?.Invoke(parse) ?? SnakeCaseJson.Read(ReadRequest(source), SnakeCaseJson.Compact.ToolRequest);
                using var workspace = OpenLedger(parse);
                context.Output.Write(SnakeCaseJson.Write(run(new MemoryToolbelt(parse.GetValue(Root)!.FullName, workspace, Options(parse)), request), SnakeCaseJson.Indented.ToolResult));
                return ExitCodes.Success;
            }
            catch (MemoryStoreException exception)
            {
                context.Output.Write(CliJson.Errors(exception.Diagnostics.Select(diagnostic => new CodedMessage(diagnostic.Code, diagnostic.Message))));
                return ExitCodes.ContractErrors;
            }
            catch (JsonException exception)
            {
                context.Output.Write(CliJson.Errors([new CodedMessage("MC1001", "the request is not valid JSON: " + exception.Message)]));
                return ExitCodes.Usage;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                var source = parse.GetValue(Request) ?? "-";
                var problem = DiagnosticCatalog.FileNotReadable.Create(SourceLocation.File(source), $"cannot read '{source}': {(exception is FileNotFoundException or DirectoryNotFoundException ? "file not found" : exception.Message)}");
                context.Output.Write(CliJson.Errors([new CodedMessage(problem.Code, problem.Message)]));
                return ExitCodes.IoError;
            }
        });
        return command;
    }

    private static ToolbeltOptions Options(ParseResult parse) => new() { AllowedPaths = parse.GetValue(Allow) ?? [] };

    private static MemoryWorkspace OpenLedger(ParseResult parse)
    {
        if (parse.GetValue(Postgres) is { } connection)
        {
            return PostgresWorkspace.Open(StoreCommand.PostgresOptions(connection, parse.GetValue(Owner)!));
        }

        var folder = parse.GetValue(Workspace) ?? throw new MemoryStoreException(DiagnosticCatalog.WorkspaceLayout.Create(SourceLocation.Origin("dotnet-memory"), "give the ledger: --workspace <folder>, or --postgres <connection-string>"));
        return MemoryWorkspace.Create(folder.FullName);
    }

    /// <summary>The request's JSON, at most <see cref="MaximumRequestCharacters"/>: a larger one is refused before it is parsed (MC5019).</summary>
    private static string ReadRequest(string? source)
    {
        using var reader = source is null or "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(source);
        var buffer = new char[MaximumRequestCharacters + 1];
        var read = reader.ReadBlock(buffer, 0, buffer.Length);
        return read <= MaximumRequestCharacters
            ? new string(buffer, 0, read)
            : throw new MemoryStoreException(DiagnosticCatalog.OperationBlocked.Create(source is null ? SourceLocation.Origin("-") : SourceLocation.File(source), $"the request is over {MaximumRequestCharacters} characters; no write can be that large (the toolbelt's hard limit is 256 KiB a file)"));
    }

    private const int MaximumRequestCharacters = 4 << 20;
}
